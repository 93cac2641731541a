//! What every test module of the web binary shares: the standard fixture (a demo store plus a second
//! organization with a secret system and an admin, behind the real router), requests through the router (API
//! calls with a token or a session, pages with a cookie, forms with the CSRF token), sign-in, and the response
//! with its checks. A test module builds its own fixture on [`Web`] and adds only what its records need.
#![allow(dead_code)]

pub mod resp;
pub mod risk_endpoints;

use aims_app::demo::{DEMO_PASSWORD, seed_demo};
use aims_app::test_store::Backend;
use aims_app::test_store::testing::TestDb;
use aims_app::{Actor, App, OrgId, RecordId};
use aims_domain::context::Organization;
use aims_domain::inventory::AiSystem;
use aims_domain::vocab::MemberRole;
use aims_web::{AppState, router};
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use http_body_util::BodyExt;
pub use resp::Resp;
use std::sync::Arc;
use tower::ServiceExt;

/// The host every request names (the router checks the origin of forms against it).
pub const HOST: &str = "127.0.0.1:8080";
/// The demo organization's roles, in the order of [`EMAILS`].
pub const ROLES: &[&str] = &["admin", "manager", "contributor", "auditor", "viewer"];
/// The roles of a role × endpoint matrix: the demo roles, and `"none"` for a caller without credentials.
pub const MATRIX_ROLES: &[&str] = &[
    "admin",
    "manager",
    "contributor",
    "auditor",
    "viewer",
    "none",
];
/// The demo organization's members, one per role of [`ROLES`].
pub const EMAILS: &[&str] = &[ADMIN, MANAGER, CONTRIBUTOR, AUDITOR, VIEWER];
/// The demo admin.
pub const ADMIN: &str = "admin@northwind-lending.example";
/// The demo manager.
pub const MANAGER: &str = "maria.keller@northwind-lending.example";
/// The demo contributor.
pub const CONTRIBUTOR: &str = "daan.visser@northwind-lending.example";
/// The demo auditor.
pub const AUDITOR: &str = "elif.aydin@northwind-lending.example";
/// The demo viewer.
pub const VIEWER: &str = "henrik.lindqvist@northwind-lending.example";
/// The admin of the other organization.
pub const BOSS_B: &str = "boss@other.example";

/// Runs a test once per backend of `backends()` on a fresh fixture: `on_both!(name, |fx: Fx| async move {…})`,
/// with doc comments before the name. `fixture(backend)` is the invoking module's own, so each module's tests get
/// that module's fixture.
macro_rules! on_both {
    ($(#[$meta:meta])* $name:ident, $body:expr) => {
        $(#[$meta])*
        #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
        async fn $name() {
            for backend in aims_app::test_store::testing::backends() {
                let fx = fixture(backend).await;
                let body = $body;
                body(fx).await;
            }
        }
    };
}

/// Lets a module's fixture `$fx` (a struct with a field `web: Web`) be used as the standard fixture: `fx.app`,
/// `fx.call(…)`, `fx.session(…)` and the rest reach [`Web`].
macro_rules! derefs_to_web {
    ($fx:ty) => {
        impl std::ops::Deref for $fx {
            type Target = $crate::common::Web;
            fn deref(&self) -> &Self::Target {
                &self.web
            }
        }
    };
}

/// The operator the fixtures act as (outside any session).
pub fn op() -> Actor {
    Actor::operator("test")
}

/// A record from its JSON form: the fields a test leaves out take their defaults.
pub fn from_json<T: serde::de::DeserializeOwned>(v: serde_json::Value) -> T {
    serde_json::from_value(v).expect("test record")
}

/// An organization with only a name and a slug.
pub fn org(name: &str, slug: &str) -> Organization {
    from_json(serde_json::json!({"name": name, "slug": slug}))
}

/// The standard fixture: the router over the demo store, plus a second organization ("other") with an admin
/// ([`BOSS_B`]) and a secret system, and an API token for each demo role and for the other admin.
pub struct Web {
    /// The application behind the router, for set-up and for checks the router does not show.
    pub app: App,
    /// The router under test.
    pub router: axum::Router,
    /// The demo organization.
    pub org_a: OrgId,
    /// The other organization.
    pub org_b: OrgId,
    /// The other organization's system ("Secret system of B").
    pub system_b: RecordId,
    /// API token of each demo role, in [`ROLES`] order.
    pub tokens: Vec<String>,
    /// API token of the other organization's admin.
    pub token_b: String,
    _db: TestDb,
}

/// What one call of a role × endpoint matrix sends: the path, the JSON body, more headers.
pub type Prepared = (String, Option<String>, Vec<(&'static str, String)>);

/// How an API request authenticates.
#[derive(Clone)]
pub enum Auth {
    /// No credentials.
    None,
    /// An API token (`Authorization: Bearer …`).
    Token(String),
    /// A browser session, with the CSRF header or without.
    Cookie {
        session: String,
        csrf: Option<String>,
    },
}

impl Auth {
    /// A browser session `session`, with the CSRF header `csrf` or without.
    pub fn session(session: String, csrf: Option<String>) -> Auth {
        Auth::Cookie { session, csrf }
    }
}

impl Web {
    /// A fresh demo store on `backend` with the other organization.
    pub async fn new(backend: Backend) -> Web {
        let db = TestDb::new(backend).await.expect("db");
        let app = App::open_or_create(&db.url).await.expect("open");
        seed_demo(&app).await.expect("demo").expect("seeded");
        let org_a = app
            .resolve_org(Some("northwind"))
            .await
            .expect("demo")
            .org_id();
        let org_b = app
            .create_org(&op(), org("Other Org", "other"), None)
            .await
            .expect("other org")
            .org_id();
        app.add_member(
            &op(),
            &org_b,
            BOSS_B,
            "Other Boss",
            "other-password-123",
            MemberRole::Admin,
        )
        .await
        .expect("member");
        let system_b = app
            .create_record(
                &op(),
                &org_b,
                AiSystem::new("Secret system of B", "Only B may see this"),
            )
            .await
            .expect("system b")
            .id;
        let mut tokens = vec![];
        for email in EMAILS {
            tokens.push(
                app.create_token(&op(), &org_a, email, "test", None)
                    .await
                    .expect("token")
                    .token,
            );
        }
        let token_b = app
            .create_token(&op(), &org_b, BOSS_B, "test", Some(1))
            .await
            .expect("token b")
            .token;
        let state = AppState {
            app: app.clone(),
            secure_cookies: false,
            metrics: Arc::new(Default::default()),
        };
        Web {
            router: router(state),
            app,
            org_a,
            org_b,
            system_b,
            tokens,
            token_b,
            _db: db,
        }
    }

    /// Sends a request through the router and collects the answer.
    pub async fn send(&self, req: Request<Body>) -> Resp {
        let res = self.router.clone().oneshot(req).await.expect("response");
        let status = res.status();
        let headers = res.headers().clone();
        let bytes = res.into_body().collect().await.expect("body").to_bytes();
        Resp {
            status,
            headers,
            text: String::from_utf8_lossy(&bytes).to_string(),
        }
    }

    /// An API call: `body` is sent as JSON, `extra` are more headers.
    pub async fn call(
        &self,
        method: &str,
        path: &str,
        auth: &Auth,
        body: Option<&str>,
        extra: &[(&str, &str)],
    ) -> Resp {
        let mut b = Request::builder()
            .method(method)
            .uri(path)
            .header(header::HOST, HOST);
        match auth {
            Auth::None => {}
            Auth::Token(t) => b = b.header(header::AUTHORIZATION, format!("Bearer {t}")),
            Auth::Cookie { session, csrf } => {
                b = b.header(header::COOKIE, format!("aims_session={session}"));
                if let Some(c) = csrf {
                    b = b.header("x-csrf-token", c);
                }
            }
        }
        if body.is_some() {
            b = b.header(header::CONTENT_TYPE, "application/json");
        }
        for (k, v) in extra {
            b = b.header(*k, *v);
        }
        let req = b
            .body(body.map_or_else(Body::empty, |s| Body::from(s.to_string())))
            .expect("request");
        self.send(req).await
    }

    /// A GET of the API.
    pub async fn api_get(&self, path: &str, auth: &Auth) -> Resp {
        self.call("GET", path, auth, None, &[]).await
    }

    /// An API call as the demo role `role` (its token), with a JSON body or none and no more headers.
    pub async fn call_as(&self, role: &str, method: &str, path: &str, body: Option<&str>) -> Resp {
        self.call(method, path, &self.token(role), body, &[]).await
    }

    /// An API call as the demo role `role` that must answer `want` (a failure names the call): the answer.
    pub async fn expect_as(
        &self,
        role: &str,
        method: &str,
        path: &str,
        body: Option<&str>,
        want: StatusCode,
    ) -> Resp {
        let r = self.call_as(role, method, path, body).await;
        assert_eq!(r.status, want, "{method} {path} as {role}: {}", r.text);
        r
    }

    /// An API call whose extra headers have owned values (as a matrix prepares them).
    pub async fn call_with(
        &self,
        method: &str,
        path: &str,
        auth: &Auth,
        body: Option<&str>,
        extra: &[(&str, String)],
    ) -> Resp {
        let extra: Vec<(&str, &str)> = extra.iter().map(|(k, v)| (*k, v.as_str())).collect();
        self.call(method, path, auth, body, &extra).await
    }

    /// Asserts that no method is routed on `path` (an address of `template`) without being documented: every
    /// method but the documented ones is refused, for the demo admin, with 405 in the error shape.
    pub async fn assert_undocumented_methods_refused(
        &self,
        template: &str,
        path: &str,
        documented: impl Fn(&str) -> bool,
    ) {
        let admin = self.token("admin");
        for method in ["GET", "POST", "PUT", "DELETE", "PATCH"] {
            if documented(method) {
                continue;
            }
            let r = self.call(method, path, &admin, Some("{}"), &[]).await;
            assert_eq!(
                r.status,
                StatusCode::METHOD_NOT_ALLOWED,
                "{method} {template} is routed but not documented: {}",
                r.text
            );
            assert_eq!(r.error()["code"], "method_not_allowed");
        }
    }

    /// How a demo role authenticates with the API: its token, or nothing for `"none"`.
    pub fn as_role(&self, role: &str) -> Auth {
        if role == "none" {
            Auth::None
        } else {
            self.token(role)
        }
    }

    /// The API token of a demo role.
    pub fn token(&self, role: &str) -> Auth {
        let i = ROLES.iter().position(|r| *r == role).expect("role");
        Auth::Token(self.tokens[i].clone())
    }

    /// The head of an organization's change-log chain, to prove that refused requests wrote nothing.
    pub async fn head(&self, org: &str) -> Option<(i64, String)> {
        self.app
            .store_for_tests()
            .chain_head(org)
            .await
            .expect("head")
    }

    /// Asserts that every change-log chain of the store verifies intact.
    pub async fn assert_intact(&self) {
        let report = self.app.verify(&op(), None).await.expect("verify");
        assert!(report.intact(), "the change log verifies intact");
    }

    /// A page, with a session cookie (`aims_session=…`) or without.
    pub async fn get(&self, path: &str, cookie: Option<&str>) -> Resp {
        let mut b = Request::get(path).header(header::HOST, HOST);
        if let Some(c) = cookie {
            b = b.header(header::COOKIE, c);
        }
        self.send(b.body(Body::empty()).expect("request")).await
    }

    /// Posts a form from this site, with a cookie or without (the CSRF token is one of the form's fields).
    pub async fn post(&self, path: &str, cookie: Option<&str>, form: &[(&str, &str)]) -> Resp {
        self.post_from(&format!("http://{HOST}"), path, cookie, form)
            .await
    }

    /// Posts `form` as a signed-in page does: with the session `cookie`, and its CSRF token `csrf` as the first
    /// field.
    pub async fn post_form(
        &self,
        path: &str,
        cookie: &str,
        csrf: &str,
        form: &[(&str, &str)],
    ) -> Resp {
        let mut fields = vec![("csrf", csrf)];
        fields.extend_from_slice(form);
        self.post(path, Some(cookie), &fields).await
    }

    /// Posts `form` as [`Web::post_form`] does and asserts that it is accepted with a redirect: where it leads.
    pub async fn submit(
        &self,
        path: &str,
        cookie: &str,
        csrf: &str,
        form: &[(&str, &str)],
    ) -> String {
        let r = self.post_form(path, cookie, csrf, form).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{path}: {}", r.text);
        r.location()
    }

    /// Posts `form` as [`Web::post_form`] does and asserts that it comes back refused (422) with a message at each
    /// field of `errors` (the element `id="<field>-err"`): the page.
    pub async fn refused_form(
        &self,
        path: &str,
        cookie: &str,
        csrf: &str,
        form: &[(&str, &str)],
        errors: &[&str],
    ) -> Resp {
        let r = self.post_form(path, cookie, csrf, form).await;
        assert_eq!(
            r.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{path}: {}",
            r.text
        );
        for field in errors {
            assert!(
                r.text.contains(&format!("id=\"{field}-err\"")),
                "{path}: no message at {field}: {}",
                r.text
            );
        }
        r
    }

    /// Posts a form as a page of `origin` would.
    pub async fn post_from(
        &self,
        origin: &str,
        path: &str,
        cookie: Option<&str>,
        form: &[(&str, &str)],
    ) -> Resp {
        let body = form
            .iter()
            .map(|(k, v)| format!("{}={}", urlencode(k), urlencode(v)))
            .collect::<Vec<_>>()
            .join("&");
        let mut b = Request::post(path)
            .header(header::HOST, HOST)
            .header(header::ORIGIN, origin)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
        if let Some(c) = cookie {
            b = b.header(header::COOKIE, c);
        }
        self.send(b.body(Body::from(body)).expect("request")).await
    }

    /// Fills in and posts the sign-in form as a browser would (the form's CSRF cookie and field): the answer.
    pub async fn post_sign_in(&self, email: &str, password: &str) -> Resp {
        let page = self.get("/login", None).await;
        let login_cookie = set_cookie(&page, "aims_login_csrf").expect("login csrf cookie");
        let csrf = hidden(&page.text, "csrf").expect("csrf field");
        self.post(
            "/login",
            Some(&login_cookie),
            &[
                ("email", email),
                ("password", password),
                ("csrf", &csrf),
                ("next", "/"),
            ],
        )
        .await
    }

    /// Signs in through the form; returns the session cookie (`aims_session=...`), or the refusal.
    pub async fn sign_in(&self, email: &str, password: &str) -> Result<String, Resp> {
        let res = self.post_sign_in(email, password).await;
        match set_cookie(&res, "aims_session") {
            Some(c) if res.status == StatusCode::SEE_OTHER => Ok(c),
            _ => Err(res),
        }
    }

    /// The CSRF token of the signed-in session, read from a page.
    pub async fn csrf(&self, cookie: &str) -> String {
        hidden(&self.get("/account", Some(cookie)).await.text, "csrf").expect("csrf on page")
    }

    /// Signs a demo member in through the form, which must succeed: the session cookie and its CSRF token.
    pub async fn session(&self, email: &str) -> (String, String) {
        let cookie = self
            .sign_in(email, DEMO_PASSWORD)
            .await
            .unwrap_or_else(|r| panic!("sign-in of {email}: {} {}", r.status, r.text));
        let csrf = self.csrf(&cookie).await;
        (cookie, csrf)
    }

    /// Signs a demo member in through the use case (as the sign-in page does): the bare session token and its
    /// CSRF token, for API calls with [`Auth::Cookie`].
    pub async fn api_session(&self, email: &str) -> (String, String) {
        let signed = self
            .app
            .sign_in(email, DEMO_PASSWORD)
            .await
            .expect("sign in")
            .expect("ok");
        let session = self
            .app
            .session(&signed.token)
            .await
            .expect("session")
            .expect("valid");
        (signed.token, session.csrf_token)
    }
}

/// The role × endpoint matrix of a module whose fixture is `fx`: calls every (method, path template) of
/// `endpoints` as every role of [`MATRIX_ROLES`], sending what `prepare` gives for (fixture, method, template), and
/// asserts that each answers with the status `expected` gives for (method, template, role), every refusal in the
/// error shape and every 403 with the code `forbidden`. The mismatches are reported together, each naming its call
/// and role.
pub async fn assert_role_matrix<F: std::ops::Deref<Target = Web>>(
    fx: &F,
    endpoints: &[(&str, &str)],
    prepare: impl AsyncFn(&F, &str, &str) -> Prepared,
    expected: impl Fn(&str, &str, &str) -> StatusCode,
) {
    let mut failures = vec![];
    for (method, template) in endpoints {
        for role in MATRIX_ROLES {
            let (path, body, headers) = prepare(fx, method, template).await;
            let r = fx
                .call_with(method, &path, &fx.as_role(role), body.as_deref(), &headers)
                .await;
            let want = expected(method, template, role);
            failures.extend(r.mismatch(&format!("{method} {template} as {role}"), want));
            if !r.status.is_success() {
                r.error();
                if r.status == StatusCode::FORBIDDEN {
                    assert_eq!(r.error()["code"], "forbidden", "{}", r.text);
                }
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// The string `field` of every item of the JSON array `list` (a test failure when `list` is no array or an item
/// has no such string).
pub fn texts(list: &serde_json::Value, field: &str) -> Vec<String> {
    list.as_array()
        .unwrap_or_else(|| panic!("not an array: {list}"))
        .iter()
        .map(|item| {
            item[field]
                .as_str()
                .unwrap_or_else(|| panic!("no {field} in {item}"))
                .to_string()
        })
        .collect()
}

/// Percent-encodes a form key or value.
pub fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// The cookie `name` the response sets, as `name=value`.
pub fn set_cookie(r: &Resp, name: &str) -> Option<String> {
    r.headers
        .get_all(header::SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with(&format!("{name}=")))
        .and_then(|v| v.split(';').next())
        .map(String::from)
}

/// The value of the form field `name` on a page.
pub fn hidden(html: &str, name: &str) -> Option<String> {
    let marker = format!("name=\"{name}\" value=\"");
    let start = html.find(&marker)? + marker.len();
    let end = html[start..].find('"')?;
    Some(html[start..start + end].to_string())
}
