//! Prometheus metrics at `/metrics` (request counts by status class, latency sum, store backend) and the
//! readiness probe `/readyz`, which answers only when the database does.

use crate::AppState;
use axum::extract::{Request, State};
use axum::http::{StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;

/// Counters kept in process memory (per server process, as Prometheus expects).
#[derive(Default)]
pub struct Metrics {
    requests: [AtomicU64; 5],
    micros_total: AtomicU64,
}

/// Counts every request by status class and adds its duration.
pub async fn count(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let start = Instant::now();
    // Only the method and the path are logged: query strings and bodies may carry personal data or secrets.
    let method = req.method().clone();
    let path = req.uri().path().to_string();
    let res = next.run(req).await;
    tracing::info!(
        target: "aims::http",
        method = %method,
        path = %path,
        status = res.status().as_u16(),
        micros = u64::try_from(start.elapsed().as_micros()).unwrap_or(u64::MAX),
        "request"
    );
    let class = (res.status().as_u16() / 100).clamp(1, 5) as usize - 1;
    state.metrics.requests[class].fetch_add(1, Ordering::Relaxed);
    let us = u64::try_from(start.elapsed().as_micros()).unwrap_or(u64::MAX);
    state.metrics.micros_total.fetch_add(us, Ordering::Relaxed);
    res
}

/// The metrics in Prometheus text format.
pub async fn render(State(state): State<AppState>) -> Response {
    let m = &state.metrics;
    let mut out = String::from(
        "# HELP aims_http_requests_total HTTP requests served, by status class.\n# TYPE aims_http_requests_total counter\n",
    );
    for (i, c) in m.requests.iter().enumerate() {
        out.push_str(&format!(
            "aims_http_requests_total{{class=\"{}xx\"}} {}\n",
            i + 1,
            c.load(Ordering::Relaxed)
        ));
    }
    out.push_str("# HELP aims_http_request_duration_seconds_sum Total time spent serving requests.\n# TYPE aims_http_request_duration_seconds_sum counter\n");
    out.push_str(&format!(
        "aims_http_request_duration_seconds_sum {:.6}\n",
        m.micros_total.load(Ordering::Relaxed) as f64 / 1e6
    ));
    out.push_str(&format!(
        "# HELP aims_store_info The store backend.\n# TYPE aims_store_info gauge\naims_store_info{{backend=\"{}\"}} 1\n",
        state.app.backend_name()
    ));
    ([(header::CONTENT_TYPE, "text/plain; version=0.0.4")], out).into_response()
}

/// 200 when the database answers, 503 otherwise.
pub async fn readyz(State(state): State<AppState>) -> Response {
    match state.app.ready().await {
        Ok(()) => (StatusCode::OK, "ready").into_response(),
        Err(_) => (StatusCode::SERVICE_UNAVAILABLE, "database unavailable").into_response(),
    }
}
