//! The page layer: signed-in areas resolve the session once in a router layer, check every form post's CSRF
//! token in another, and refuse posts the role may not make in a third; handlers take a [`Ctx`] and return
//! [`PageResult`], so that they no longer repeat that opening sequence.

use crate::AppState;
use crate::auth::{check_form, session_of};
use crate::chrome::Chrome;
use crate::error::{ErrorSpec, PageError, app_error, with_chrome};
use aims_app::Permission;
use aims_app::auth::Session;
use axum::Router;
use axum::body::Body;
use axum::extract::{FromRequestParts, Request, State};
use axum::handler::Handler;
use axum::http::request::Parts;
use axum::http::{Method, StatusCode};
use axum::middleware::{Next, from_fn, from_fn_with_state};
use axum::response::{IntoResponse, Response};
use axum::routing::{MethodRouter, post};

pub use crate::error::PageResult;

/// Largest form body the CSRF layer reads (the same as axum's default body limit).
const FORM_LIMIT: usize = 2 * 1024 * 1024;

/// The navigation section of an area, left in the request extensions by the area layer.
#[derive(Clone, Copy)]
struct Section(&'static str);

#[derive(Clone)]
struct Area {
    state: AppState,
    section: &'static str,
}

/// Puts `routes` behind the signed-in layers of one area: the session is resolved (or the browser sent to the
/// sign-in page), form posts are CSRF-checked, and error pages of its handlers get the chrome of `section`.
pub fn area(state: &AppState, section: &'static str, routes: Router<AppState>) -> Router<AppState> {
    routes.layer(from_fn(csrf)).layer(from_fn_with_state(
        Area {
            state: state.clone(),
            section,
        },
        signed,
    ))
}

async fn signed(State(area): State<Area>, req: Request, next: Next) -> Response {
    let (mut parts, body) = req.into_parts();
    let s = match session_of(&parts, &area.state).await {
        Ok(s) => s,
        Err(r) => return r,
    };
    parts.extensions.insert(s.clone());
    parts.extensions.insert(Section(area.section));
    let res = next.run(Request::from_parts(parts, body)).await;
    match res.extensions().get::<ErrorSpec>() {
        Some(spec) => {
            let chrome = Chrome::new(&area.state.app, &s, area.section).await;
            with_chrome(spec, chrome)
        }
        None => res,
    }
}

/// Checks a form post: same origin, and the form's `csrf` field equals the session's token. The urlencoded
/// body is read (up to [`FORM_LIMIT`]) and handed on unchanged.
async fn csrf(req: Request, next: Next) -> Response {
    if req.method() != Method::POST {
        return next.run(req).await;
    }
    let Some(s) = req.extensions().get::<Session>().cloned() else {
        return PageError::form_expired().into_response();
    };
    let (parts, body) = req.into_parts();
    let bytes = match axum::body::to_bytes(body, FORM_LIMIT).await {
        Ok(b) => b,
        Err(_) => return StatusCode::PAYLOAD_TOO_LARGE.into_response(),
    };
    if let Err(e) = check_form(&parts.headers, &s, &form_field(&bytes, "csrf")) {
        return e.into_response();
    }
    next.run(Request::from_parts(parts, Body::from(bytes)))
        .await
}

/// The first value of `name` in an urlencoded body, decoded; empty when absent.
fn form_field(body: &[u8], name: &str) -> String {
    body.split(|b| *b == b'&')
        .filter_map(|kv| {
            let mut it = kv.splitn(2, |b| *b == b'=');
            let k = it.next()?;
            Some((decode(k), decode(it.next().unwrap_or_default())))
        })
        .find(|(k, _)| k == name)
        .map(|(_, v)| v)
        .unwrap_or_default()
}

fn decode(s: &[u8]) -> String {
    let mut out = Vec::with_capacity(s.len());
    let mut i = 0;
    while i < s.len() {
        match s[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < s.len() => {
                match std::str::from_utf8(&s[i + 1..i + 3])
                    .ok()
                    .and_then(|h| u8::from_str_radix(h, 16).ok())
                {
                    Some(b) => {
                        out.push(b);
                        i += 2;
                    }
                    None => out.push(b'%'),
                }
            }
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

async fn needs(State(p): State<Permission>, req: Request, next: Next) -> Response {
    if let Some(s) = req.extensions().get::<Session>()
        && let Err(e) = s.actor().require(p)
    {
        return app_error(None, e);
    }
    next.run(req).await
}

/// A POST route whose handler needs permission `p`: the role is checked before the form is read, with the
/// same 403 page as the use case would give.
pub fn post_needs<H, T>(p: Permission, h: H) -> MethodRouter<AppState>
where
    H: Handler<T, AppState>,
    T: 'static,
{
    post(h).layer(from_fn_with_state(p, needs))
}

/// What a signed-in page handler needs: the state, the session and the chrome of its area.
pub struct Ctx {
    /// Shared state.
    pub state: AppState,
    /// The signed-in session.
    pub s: Session,
    /// Layout data of the area.
    pub chrome: Chrome,
}

impl FromRequestParts<AppState> for Ctx {
    type Rejection = Response;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let s = match parts.extensions.get::<Session>() {
            Some(s) => s.clone(),
            None => session_of(parts, state).await?,
        };
        let section = parts
            .extensions
            .get::<Section>()
            .map_or("dashboard", |s| s.0);
        let chrome = Chrome::new(&state.app, &s, section).await;
        Ok(Ctx {
            state: state.clone(),
            s,
            chrome,
        })
    }
}

/// Not found unless every id has the shape of a record id; `what` names the record kind.
pub fn ids(ids: &[&str], what: &str) -> Result<(), PageError> {
    if ids.iter().all(|i| crate::pages::form::is_id(i)) {
        Ok(())
    } else {
        Err(PageError::not_found(what))
    }
}

/// Forbidden unless the role may change records; `what` completes "Your role in this organization cannot …".
pub fn writable(chrome: &Chrome, what: &str) -> Result<(), PageError> {
    if chrome.can_write {
        Ok(())
    } else {
        Err(PageError::forbidden(what))
    }
}

#[cfg(test)]
mod tests {
    use super::form_field;

    #[test]
    fn reads_one_field() {
        assert_eq!(form_field(b"a=1&csrf=ab%20c+d&csrf=x", "csrf"), "ab c d");
        assert_eq!(form_field(b"a=1", "csrf"), "");
        assert_eq!(form_field(b"csrf=%4", "csrf"), "%4");
    }
}
