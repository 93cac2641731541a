//! Request extractors of the API: who is calling (a bearer token, or the browser session with its CSRF header),
//! JSON bodies and query strings whose problems are answered in the API's error shape naming the field, and
//! the `If-Match` version.

use super::error::ApiError;
use crate::AppState;
use crate::auth::{SESSION_COOKIE, cookie};
use crate::security::{same_origin, same_secret};
use aims_app::auth::Session;
use aims_app::{Actor, App};
use axum::body::Bytes;
use axum::extract::{FromRequest, FromRequestParts, Query, Request};
use axum::http::request::Parts;
use axum::http::{HeaderMap, Method, StatusCode, header};
use serde::de::DeserializeOwned;

/// Header a browser session must send on unsafe methods, equal to the session's CSRF token.
pub const CSRF_HEADER: &str = "x-csrf-token";
/// Largest request body accepted, in bytes.
pub const BODY_LIMIT: usize = 1024 * 1024;

/// The caller of an API request: the user, organization and role of a bearer token or of the browser session,
/// with the application the handler calls (so a handler needs no other extractor to reach its use case).
pub struct Caller {
    /// Who is calling, in which organization, with which role.
    pub session: Session,
    /// The use cases.
    pub app: App,
}

impl Caller {
    /// The actor the use cases check.
    pub fn actor(&self) -> Actor {
        self.session.actor()
    }
    /// The organization every request acts in.
    pub fn org(&self) -> &aims_app::OrgId {
        &self.session.org_id
    }
}

impl FromRequestParts<AppState> for Caller {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        if let Some(auth) = parts.headers.get(header::AUTHORIZATION) {
            let token = auth
                .to_str()
                .ok()
                .and_then(|v| {
                    v.strip_prefix("Bearer ")
                        .or_else(|| v.strip_prefix("bearer "))
                })
                .map(str::trim)
                .ok_or_else(|| {
                    ApiError::unauthorized("the Authorization header must be `Bearer aims_…`")
                })?;
            return match state.app.resolve_token(token).await? {
                Some(session) => Ok(Caller {
                    session,
                    app: state.app.clone(),
                }),
                None => Err(ApiError::unauthorized(
                    "the API token is unknown, expired or revoked",
                )),
            };
        }
        let session = match cookie(&parts.headers, SESSION_COOKIE) {
            Some(t) if !t.is_empty() => state.app.session(&t).await?,
            _ => None,
        };
        let Some(session) = session else {
            return Err(ApiError::unauthorized(
                "sign in, or send an API token as `Authorization: Bearer aims_…`",
            ));
        };
        let safe = matches!(parts.method, Method::GET | Method::HEAD | Method::OPTIONS);
        if !safe {
            let sent = parts
                .headers
                .get(CSRF_HEADER)
                .and_then(|v| v.to_str().ok())
                .unwrap_or_default();
            if !same_origin(&parts.headers) || !same_secret(sent, &session.csrf_token) {
                return Err(ApiError::forbidden(
                    "requests with the session cookie must send the session's CSRF token in the X-CSRF-Token header",
                ));
            }
        }
        Ok(Caller {
            session,
            app: state.app.clone(),
        })
    }
}

/// Field named by a serde message such as "unknown field `x`, expected …" or "missing field `x`".
fn field_in_message(message: &str) -> Option<String> {
    for marker in ["unknown field `", "missing field `", "duplicate field `"] {
        if let Some(rest) = message.split(marker).nth(1)
            && let Some(name) = rest.split('`').next()
        {
            return Some(name.to_string());
        }
    }
    None
}

/// The field path of a serde error: the path where it happened, plus the field the message names.
fn field_path(path: &str, message: &str) -> String {
    let base = if path == "." || path.is_empty() {
        String::new()
    } else {
        path.to_string()
    };
    match field_in_message(message) {
        Some(f) if base.is_empty() => f,
        // For an unknown field serde's path already ends with the field itself.
        Some(f) if base == f || base.ends_with(&format!(".{f}")) => base,
        Some(f) => format!("{base}.{f}"),
        None if base.is_empty() => "body".to_string(),
        None => base,
    }
}

/// A JSON request body of type `T`. Malformed JSON, wrong types, unknown and missing fields are a 400 naming the
/// field; a body over [`BODY_LIMIT`] is a 413; another content type is a 415.
pub struct ApiJson<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for ApiJson<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        if let Some(ct) = req.headers().get(header::CONTENT_TYPE) {
            let ct = ct.to_str().unwrap_or_default().to_ascii_lowercase();
            let essence = ct.split(';').next().unwrap_or_default().trim().to_string();
            if essence != "application/json" && !essence.ends_with("+json") {
                return Err(ApiError::new(
                    StatusCode::UNSUPPORTED_MEDIA_TYPE,
                    "unsupported_media_type",
                    "send the body as application/json",
                ));
            }
        }
        let bytes = Bytes::from_request(req, state).await.map_err(|rejection| {
            if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
                ApiError::new(
                    StatusCode::PAYLOAD_TOO_LARGE,
                    "payload_too_large",
                    format!("the body is larger than {BODY_LIMIT} bytes"),
                )
            } else {
                ApiError::bad_field("body", "the body could not be read")
            }
        })?;
        parse_json(&bytes).map(ApiJson)
    }
}

/// Parses a JSON document into `T`, naming the field at fault. The document must be an object (serde would
/// otherwise read a struct from an array too).
pub fn parse_json<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, ApiError> {
    let value: serde_json::Value = serde_json::from_slice(bytes)
        .map_err(|e| ApiError::bad_field("body", format!("malformed JSON: {e}")))?;
    if !value.is_object() {
        return Err(ApiError::bad_field("body", "must be a JSON object"));
    }
    if let Some(field) = nul_in(&value, "") {
        return Err(ApiError::bad_field(
            field,
            "contains a NUL character (\\u0000), which text cannot hold",
        ));
    }
    serde_path_to_error::deserialize(value).map_err(|e| {
        let path = e.path().to_string();
        let message = e.into_inner().to_string();
        ApiError::bad_field(field_path(&path, &message), message)
    })
}

/// The path of the first string (or key) holding a NUL character, which PostgreSQL text cannot store; refused
/// here for both backends alike.
fn nul_in(value: &serde_json::Value, path: &str) -> Option<String> {
    let here = |p: &str| {
        if p.is_empty() {
            "body".to_string()
        } else {
            p.to_string()
        }
    };
    match value {
        serde_json::Value::String(s) if s.contains('\0') => Some(here(path)),
        serde_json::Value::Array(items) => items
            .iter()
            .enumerate()
            .find_map(|(i, v)| nul_in(v, &format!("{path}[{i}]"))),
        serde_json::Value::Object(map) => map.iter().find_map(|(k, v)| {
            let p = if path.is_empty() {
                k.clone()
            } else {
                format!("{path}.{k}")
            };
            if k.contains('\0') {
                Some(here(path))
            } else {
                nul_in(v, &p)
            }
        }),
        _ => None,
    }
}

/// A query string of type `T` (whose fields are strings, checked by the handler); an unknown parameter is a 400
/// naming it.
pub struct ApiQuery<T>(pub T);

impl<T: DeserializeOwned + Send, S: Send + Sync> FromRequestParts<S> for ApiQuery<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        // A NUL character (`%00`) cannot be matched against stored text on PostgreSQL; refuse it on both
        // backends, naming the parameter.
        if let Some(query) = parts.uri.query()
            && let Some(pair) = query.split('&').find(|p| p.contains("%00"))
        {
            let key = pair.split('=').next().unwrap_or_default();
            let field = if key.is_empty() || key.contains('%') {
                "query"
            } else {
                key
            };
            return Err(ApiError::bad_field(
                field,
                "contains a NUL character (%00), which text cannot hold",
            ));
        }
        match Query::<T>::from_request_parts(parts, state).await {
            Ok(Query(v)) => Ok(ApiQuery(v)),
            Err(rejection) => {
                let text = rejection.body_text();
                let message = text.trim_start_matches("Failed to deserialize query string: ");
                let field = field_in_message(message).unwrap_or_else(|| "query".into());
                let message = message
                    .strip_prefix(&format!("{field}: "))
                    .unwrap_or(message);
                Err(ApiError::bad_field(field, message.to_string()))
            }
        }
    }
}

/// The version named by `If-Match`: `Ok(None)` for `*` (any version), 428 when the header is missing, 400 when it
/// is not an entity tag this API gave out.
pub fn if_match(headers: &HeaderMap, required: bool) -> Result<Option<i64>, ApiError> {
    let Some(v) = headers.get(header::IF_MATCH) else {
        return if required {
            Err(ApiError::new(
                StatusCode::PRECONDITION_REQUIRED,
                "precondition_required",
                "send If-Match with the ETag of the version you changed (from GET)",
            ))
        } else {
            Ok(None)
        };
    };
    let text = v.to_str().unwrap_or_default().trim();
    if text == "*" {
        return Ok(None);
    }
    let bare = text.trim_start_matches("W/").trim_matches('"');
    bare.parse::<i64>().map(Some).map_err(|_| {
        ApiError::bad_field(
            "If-Match",
            format!("'{text}' is not an entity tag of this API (expected e.g. \"3\")"),
        )
    })
}

/// A query value that is one of a few words, each standing for a value (`true`/`false`, `asc`/`desc`): absent
/// or empty gives `None`, any other text is a 400 naming `field` and the words ("'x' is not true or false").
/// Shared by the list filters, so that each such parameter is read and refused the same way.
pub fn query_choice<T: Copy>(
    field: &str,
    value: Option<&str>,
    choices: &[(&str, T)],
) -> Result<Option<T>, ApiError> {
    match value {
        None | Some("") => Ok(None),
        Some(text) => match choices.iter().find(|(word, _)| *word == text) {
            Some((_, v)) => Ok(Some(*v)),
            None => {
                let words: Vec<&str> = choices.iter().map(|(word, _)| *word).collect();
                Err(ApiError::bad_field(
                    field,
                    format!("'{text}' is not {}", words.join(" or ")),
                ))
            }
        },
    }
}

/// The words of a yes/no query filter, for [`query_choice`].
pub const TRUE_OR_FALSE: &[(&str, bool)] = &[("true", true), ("false", false)];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn query_choices_name_the_parameter_and_the_words() {
        assert_eq!(query_choice("in_scope", None, TRUE_OR_FALSE).unwrap(), None);
        assert_eq!(
            query_choice("in_scope", Some(""), TRUE_OR_FALSE).unwrap(),
            None
        );
        assert_eq!(
            query_choice("in_scope", Some("false"), TRUE_OR_FALSE).unwrap(),
            Some(false)
        );
        let e = query_choice("order", Some("up"), &[("asc", false), ("desc", true)]).unwrap_err();
        assert_eq!(e.status, StatusCode::BAD_REQUEST);
        assert_eq!(e.body.error.details[0].field, "order");
        assert_eq!(e.body.error.details[0].message, "'up' is not asc or desc");
    }

    #[test]
    fn serde_messages_name_the_field() {
        assert_eq!(
            field_path(".", "unknown field `colour`, expected one of `name`"),
            "colour"
        );
        assert_eq!(
            field_path("models[0]", "missing field `name` at line 1"),
            "models[0].name"
        );
        assert_eq!(field_path("name", "invalid type: integer `5`"), "name");
        assert_eq!(field_path(".", "invalid type: map"), "body");
        assert_eq!(
            field_path("models[0].foo", "unknown field `foo`, expected `id`"),
            "models[0].foo"
        );
    }

    #[test]
    fn nul_characters_are_refused_naming_the_field() {
        let e =
            parse_json::<serde_json::Value>(br#"{"a": {"b": ["ok", "x\u0000y"]}}"#).unwrap_err();
        assert_eq!(e.status, StatusCode::BAD_REQUEST);
        assert_eq!(e.body.error.details[0].field, "a.b[1]");
        let e = parse_json::<serde_json::Value>(br#"{"a\u0000": 1}"#).unwrap_err();
        assert_eq!(e.body.error.details[0].field, "body");
        assert!(parse_json::<serde_json::Value>(br#"{"a": "\u0001 is fine"}"#).is_ok());
    }

    #[test]
    fn if_match_reads_the_entity_tags_we_give_out() {
        let mut h = HeaderMap::new();
        assert!(if_match(&h, false).unwrap().is_none());
        assert_eq!(
            if_match(&h, true).unwrap_err().status,
            StatusCode::PRECONDITION_REQUIRED
        );
        h.insert(header::IF_MATCH, "\"3\"".parse().unwrap());
        assert_eq!(if_match(&h, true).unwrap(), Some(3));
        h.insert(header::IF_MATCH, "W/\"4\"".parse().unwrap());
        assert_eq!(if_match(&h, true).unwrap(), Some(4));
        h.insert(header::IF_MATCH, "*".parse().unwrap());
        assert_eq!(if_match(&h, true).unwrap(), None);
        h.insert(header::IF_MATCH, "\"x\"".parse().unwrap());
        assert_eq!(
            if_match(&h, true).unwrap_err().status,
            StatusCode::BAD_REQUEST
        );
    }
}
