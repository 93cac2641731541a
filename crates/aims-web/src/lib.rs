//! The aims web application: server-rendered pages (askama templates, upgraded with htmx), sign-in with sessions
//! kept in the database, CSRF protection on every form, strict security headers, `/healthz`, `/readyz` and
//! Prometheus metrics at `/metrics`. Handlers call `aims-app` use cases only.

pub mod api;
mod assets;
mod auth;
mod chrome;
mod error;
mod filters;
pub mod metrics;
mod pages;
mod security;

use aims_app::{App, Permission};
use aims_domain::inventory::AiSystem;
use axum::Router;
use axum::response::Response;
use axum::routing::{get, post};
use pages::ctx::{area, post_needs};
use std::net::SocketAddr;
use std::sync::Arc;

/// Shared state of every request.
#[derive(Clone)]
pub struct AppState {
    /// The application over the store.
    pub app: App,
    /// Whether cookies get the `Secure` flag (set when aims runs behind TLS).
    pub secure_cookies: bool,
    /// Request counters for `/metrics`.
    pub metrics: Arc<metrics::Metrics>,
}

/// Builds the router with every page and endpoint.
pub fn router(state: AppState) -> Router {
    Router::new()
        .route("/healthz", get(|| async { "ok" }))
        .route("/readyz", get(metrics::readyz))
        .route("/metrics", get(metrics::render))
        .route("/assets/{name}", get(assets::serve))
        .route("/login", get(auth::login_page).post(auth::login))
        .merge(area(
            &state,
            "account",
            Router::new()
                .route("/logout", post(auth::logout))
                .route("/account", get(auth::account_page))
                .route("/account/password", post(auth::change_password))
                .route("/account/tokens", post(auth::create_token))
                .route("/account/tokens/revoke", post(auth::revoke_token))
                .route("/org/switch", post(auth::switch_org)),
        ))
        .merge(area(
            &state,
            "dashboard",
            Router::new().route("/", get(pages::dashboard::show)),
        ))
        .merge(pages::records::routes::<AiSystem>(
            &state,
            get(pages::systems::list),
        ))
        .merge(area(&state, "systems", systems_routes()))
        .merge(area(&state, "risks", risks_routes()))
        .merge(area(&state, "soa", soa_routes()))
        .merge(area(&state, "impacts", impacts_routes()))
        .merge(area(
            &state,
            "context",
            Router::new()
                .route("/context", get(pages::context::show))
                .route("/context/scope/edit", get(pages::context::edit_scope))
                .route(
                    "/context/scope/draft",
                    post_needs(Permission::Write, pages::context::save_scope),
                )
                .route(
                    "/context/scope/approve",
                    post_needs(Permission::Approve, pages::context::approve_scope),
                ),
        ))
        .merge(area(
            &state,
            "admin",
            Router::new()
                .route(
                    "/admin/users",
                    get(pages::admin::users)
                        .merge(post_needs(Permission::Administer, pages::admin::add_member)),
                )
                .route(
                    "/admin/users/reset",
                    post_needs(Permission::Administer, pages::admin::reset_password),
                )
                .route(
                    "/admin/users/member",
                    post_needs(Permission::Administer, pages::admin::change_member),
                ),
        ))
        .merge(area(
            &state,
            "catalog",
            Router::new()
                .route("/catalog", get(pages::catalog::frameworks))
                .route("/catalog/{framework}", get(pages::catalog::items))
                .route("/catalog/{framework}/item", get(pages::catalog::item)),
        ))
        .merge(pages::records::kit_pages(&state))
        .merge(api::router())
        .fallback(error::not_found)
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            metrics::count,
        ))
        .layer(axum::middleware::from_fn(security::headers))
        .layer(axum::middleware::from_fn(request_span))
        .with_state(state)
}

/// Pages of the AI systems' classification (their list, detail, form and history are merged beside).
fn systems_routes() -> Router<AppState> {
    Router::new()
        .route(
            "/systems/{id}/classification",
            get(pages::classification::show).merge(post_needs(
                Permission::Write,
                pages::classification::classify,
            )),
        )
        .route(
            "/ai-systems/{id}/classification",
            get(pages::classification::alias),
        )
}

/// Pages of the risk register, the risk method and treatment plans.
fn risks_routes() -> Router<AppState> {
    Router::new()
        .route(
            "/risks",
            get(pages::risks::list).merge(post_needs(Permission::Write, pages::risks::create)),
        )
        .route("/risks/new", get(pages::risks::new_form))
        .route(
            "/risks/method",
            get(pages::method::show).merge(post_needs(Permission::Approve, pages::method::save)),
        )
        .route("/risks/method/edit", get(pages::method::edit_form))
        .route(
            "/risks/{id}",
            get(pages::risks::show).merge(post_needs(Permission::Write, pages::risks::update)),
        )
        .route("/risks/{id}/edit", get(pages::risks::edit_form))
        .route(
            "/risks/{id}/assess",
            get(pages::risks::assess_form)
                .merge(post_needs(Permission::Write, pages::risks::assess)),
        )
        .route(
            "/risks/{id}/treatments",
            post_needs(Permission::Write, pages::risks::create_treatment),
        )
        .route(
            "/risks/{id}/treatments/new",
            get(pages::risks::new_treatment),
        )
        .route(
            "/risks/{rid}/treatments/{tid}",
            post_needs(Permission::Write, pages::risks::update_treatment),
        )
        .route(
            "/risks/{rid}/treatments/{tid}/edit",
            get(pages::risks::edit_treatment),
        )
        .route(
            "/risks/{rid}/treatments/{tid}/accept",
            get(pages::risks::accept_form)
                .merge(post_needs(Permission::Write, pages::risks::accept)),
        )
}

/// Pages of the Statement of Applicability and the controls.
fn soa_routes() -> Router<AppState> {
    Router::new()
        .route("/soa", get(pages::soa::show))
        .route(
            "/soa/approve",
            post_needs(Permission::Approve, pages::soa::approve),
        )
        .route("/soa/versions", get(pages::soa::versions))
        .route("/soa/versions/{number}", get(pages::soa::version))
        .route("/soa/diff", get(pages::soa::diff))
        .route(
            "/controls",
            get(pages::controls::list)
                .merge(post_needs(Permission::Write, pages::controls::add_own)),
        )
        .route(
            "/controls/{control}",
            get(pages::soa::control).merge(post_needs(Permission::Write, pages::soa::set_control)),
        )
}

/// Pages of the AI system impact assessments.
fn impacts_routes() -> Router<AppState> {
    Router::new()
        .route(
            "/impact-assessments",
            get(pages::impacts::list).merge(post_needs(Permission::Write, pages::impacts::create)),
        )
        .route("/impact-assessments/new", get(pages::impacts::new_form))
        .route(
            "/impact-assessments/{id}",
            get(pages::impacts::show).merge(post_needs(Permission::Write, pages::impacts::update)),
        )
        .route(
            "/impact-assessments/{id}/edit",
            get(pages::impacts::edit_form),
        )
        .route(
            "/impact-assessments/{id}/approve",
            post_needs(Permission::Approve, pages::impacts::approve),
        )
}

/// Runs each request in a tracing span with a fresh request id, and returns the id in `x-request-id` so that
/// a report from a user can be matched with the log.
async fn request_span(req: axum::extract::Request, next: axum::middleware::Next) -> Response {
    use tracing::Instrument;
    let id = aims_domain::new_id();
    let span = tracing::info_span!(
        "request",
        request_id = %id,
        method = %req.method(),
        path = %req.uri().path(),
    );
    let mut res = next.run(req).instrument(span).await;
    if let Ok(v) = axum::http::HeaderValue::from_str(&id) {
        res.headers_mut().insert("x-request-id", v);
    }
    res
}

/// Serves until Ctrl-C or SIGTERM, then finishes the requests in flight.
pub async fn serve(state: AppState, listener: tokio::net::TcpListener) -> std::io::Result<()> {
    let app = router(state).into_make_service_with_connect_info::<SocketAddr>();
    axum::serve(listener, app)
        .with_graceful_shutdown(shutdown_signal())
        .await
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = term => {},
    }
}
