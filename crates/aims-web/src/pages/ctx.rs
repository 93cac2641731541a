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
    // Tests stop at the first failure: unwrapping and panicking is how they report it.
    #![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

    use super::form_field;
    use crate::{AppState, router};
    use aims_app::orgs::InitInput;
    use aims_app::systems::SystemFilter;
    use aims_app::test_store::testing::{TestDb, backends};
    use aims_app::{Actor, App};
    use aims_domain::vocab::MemberRole;
    use axum::body::Body;
    use axum::http::{Request, StatusCode, header};
    use tower::ServiceExt;

    #[test]
    fn reads_one_field() {
        assert_eq!(form_field(b"a=1&csrf=ab%20c+d&csrf=x", "csrf"), "ab c d");
        assert_eq!(form_field(b"a=1", "csrf"), "");
        assert_eq!(form_field(b"csrf=%4", "csrf"), "%4");
    }

    const HOST: &str = "127.0.0.1:8080";
    const PASSWORD: &str = "a long enough password";

    /// The real router over a fresh store with one organization, its admin and a viewer.
    struct Fx {
        app: App,
        org: aims_app::OrgId,
        router: axum::Router,
        _db: TestDb,
    }

    /// A signed-in browser: its session cookie and the session's CSRF token.
    struct Browser {
        cookie: String,
        csrf: String,
    }

    impl Fx {
        async fn new(backend: aims_app::test_store::Backend) -> Fx {
            let db = TestDb::new(backend).await.unwrap();
            let app = App::open_or_create(&db.url).await.unwrap();
            let operator = Actor::operator("test");
            let init = app
                .init(
                    &operator,
                    InitInput {
                        org_name: "Layer Org".into(),
                        org_slug: None,
                        admin_email: "admin@layer.example".into(),
                        admin_name: "Admin".into(),
                        admin_password: Some(PASSWORD.into()),
                    },
                )
                .await
                .unwrap();
            let org = init.organization.org_id();
            app.add_member(
                &operator,
                &org,
                "viewer@layer.example",
                "Viewer",
                PASSWORD,
                MemberRole::Viewer,
            )
            .await
            .unwrap();
            let state = AppState {
                app: app.clone(),
                secure_cookies: false,
                metrics: Default::default(),
            };
            Fx {
                router: router(state),
                app,
                org,
                _db: db,
            }
        }

        async fn browser(&self, email: &str) -> Browser {
            let signed = self.app.sign_in(email, PASSWORD).await.unwrap().unwrap();
            let session = self.app.session(&signed.token).await.unwrap().unwrap();
            Browser {
                cookie: format!("aims_session={}", signed.token),
                csrf: session.csrf_token,
            }
        }

        async fn systems(&self) -> usize {
            self.app
                .systems(
                    &Actor::operator("test"),
                    &self.org,
                    &SystemFilter::default(),
                )
                .await
                .unwrap()
                .len()
        }

        async fn send(&self, req: Request<Body>) -> axum::response::Response {
            self.router.clone().oneshot(req).await.unwrap()
        }

        async fn post(&self, path: &str, cookie: &str, body: String) -> axum::response::Response {
            let req = Request::post(path)
                .header(header::HOST, HOST)
                .header(header::ORIGIN, format!("http://{HOST}"))
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .header(header::COOKIE, cookie)
                .body(Body::from(body))
                .unwrap();
            self.send(req).await
        }
    }

    /// Runs `test` once per backend under test (SQLite always, PostgreSQL when configured), each on a new store.
    async fn each_backend<F: AsyncFn(&Fx)>(test: F) {
        for backend in backends() {
            let fx = Fx::new(backend).await;
            test(&fx).await;
            fx.app.close().await;
        }
    }

    /// A new AI system as the system form posts it, with `csrf` as the token.
    fn system_form(csrf: &str) -> String {
        format!(
            "csrf={csrf}&name=Layer+test+system&purpose=Checks+the+layers&lifecycle_stage=design&org_role=deployer"
        )
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_post_without_the_sessions_csrf_token_is_refused_and_changes_nothing() {
        each_backend(async |fx| {
            let admin = fx.browser("admin@layer.example").await;
            let before = fx.systems().await;
            for token in ["", "not-the-token"] {
                let r = fx.post("/systems", &admin.cookie, system_form(token)).await;
                assert_eq!(r.status(), StatusCode::FORBIDDEN, "token {token:?}");
            }
            let r = fx
                .post(
                    "/systems",
                    &admin.cookie,
                    "name=No+token&purpose=p&lifecycle_stage=design&org_role=deployer".into(),
                )
                .await;
            assert_eq!(r.status(), StatusCode::FORBIDDEN, "no csrf field");
            assert_eq!(fx.systems().await, before, "nothing written");
            // The same form with the session's token is saved: the refusals were the token's.
            let r = fx
                .post("/systems", &admin.cookie, system_form(&admin.csrf))
                .await;
            assert_eq!(r.status(), StatusCode::SEE_OTHER);
            assert_eq!(fx.systems().await, before + 1);
        })
        .await;
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_form_body_over_two_mebibytes_is_refused_as_too_large() {
        each_backend(async |fx| {
            let admin = fx.browser("admin@layer.example").await;
            let before = fx.systems().await;
            let body = format!(
                "{}&purpose={}",
                system_form(&admin.csrf),
                "x".repeat(super::FORM_LIMIT)
            );
            let r = fx.post("/systems", &admin.cookie, body).await;
            assert_eq!(r.status(), StatusCode::PAYLOAD_TOO_LARGE);
            assert_eq!(fx.systems().await, before, "nothing written");
        })
        .await;
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_viewer_posting_a_write_form_is_refused_and_changes_nothing() {
        each_backend(async |fx| {
            let viewer = fx.browser("viewer@layer.example").await;
            let before = fx.systems().await;
            let r = fx
                .post("/systems", &viewer.cookie, system_form(&viewer.csrf))
                .await;
            assert_eq!(r.status(), StatusCode::FORBIDDEN);
            let r = fx
                .post(
                    "/admin/users",
                    &viewer.cookie,
                    format!(
                        "csrf={}&email=new%40layer.example&name=New&role=admin&password=another+long+password",
                        viewer.csrf
                    ),
                )
                .await;
            assert_eq!(r.status(), StatusCode::FORBIDDEN, "members are the admin's");
            assert_eq!(fx.systems().await, before, "nothing written");
            let members = fx
                .app
                .members(&Actor::operator("test"), &fx.org)
                .await
                .unwrap();
            assert_eq!(members.len(), 2, "no member added");
        })
        .await;
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_request_without_a_session_is_sent_to_sign_in() {
        each_backend(async |fx| {
            for path in ["/systems?q=a", "/account", "/admin/users"] {
                let req = Request::get(path)
                    .header(header::HOST, HOST)
                    .body(Body::empty())
                    .unwrap();
                let r = fx.send(req).await;
                assert_eq!(r.status(), StatusCode::SEE_OTHER, "{path}");
                let to = r.headers()[header::LOCATION].to_str().unwrap();
                assert!(to.starts_with("/login?next=/"), "{path}: {to}");
            }
            let r = fx
                .send(
                    Request::get("/systems")
                        .header(header::HOST, HOST)
                        .header("hx-request", "true")
                        .header(header::COOKIE, "aims_session=expired")
                        .body(Body::empty())
                        .unwrap(),
                )
                .await;
            assert_eq!(r.status(), StatusCode::UNAUTHORIZED, "htmx gets a status");
            assert_eq!(r.headers()["hx-redirect"], "/login?next=/systems");
            let before = fx.systems().await;
            let r = fx
                .post("/systems", "aims_session=expired", system_form("x"))
                .await;
            assert_eq!(
                r.status(),
                StatusCode::SEE_OTHER,
                "a post is sent to sign in"
            );
            assert_eq!(fx.systems().await, before, "nothing written");
        })
        .await;
    }
}
