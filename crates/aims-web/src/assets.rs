//! Static assets embedded in the binary: the stylesheet and the vendored htmx. Their URLs carry a content hash,
//! so browsers may cache them for a year and still see every change.

use axum::extract::Path;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use sha2::{Digest, Sha256};
use std::sync::OnceLock;

const CSS: &str = include_str!("../assets/app.css");
const HTMX: &str = include_str!("../assets/vendor/htmx-2.0.11.min.js");
const APP_JS: &str = include_str!("../assets/app.js");

struct Asset {
    name: String,
    body: &'static str,
    content_type: &'static str,
}

fn hashed(stem: &str, ext: &str, body: &str) -> String {
    let h = hex::encode(Sha256::digest(body.as_bytes()));
    format!("{stem}-{}.{ext}", &h[..12])
}

fn assets() -> &'static [Asset; 3] {
    static A: OnceLock<[Asset; 3]> = OnceLock::new();
    A.get_or_init(|| {
        [
            Asset {
                name: hashed("app", "css", CSS),
                body: CSS,
                content_type: "text/css; charset=utf-8",
            },
            Asset {
                name: hashed("htmx", "js", HTMX),
                body: HTMX,
                content_type: "text/javascript; charset=utf-8",
            },
            Asset {
                name: hashed("app", "js", APP_JS),
                body: APP_JS,
                content_type: "text/javascript; charset=utf-8",
            },
        ]
    })
}

/// URL of the stylesheet.
pub fn css_url() -> String {
    format!("/assets/{}", assets()[0].name)
}

/// URL of htmx.
pub fn htmx_url() -> String {
    format!("/assets/{}", assets()[1].name)
}

/// URL of the small script that wires up behaviour without inline script.
pub fn app_js_url() -> String {
    format!("/assets/{}", assets()[2].name)
}

/// Serves an asset by its hashed name.
pub async fn serve(Path(name): Path<String>) -> Response {
    match assets().iter().find(|a| a.name == name) {
        Some(a) => (
            [
                (header::CONTENT_TYPE, a.content_type),
                (header::CACHE_CONTROL, "public, max-age=31536000, immutable"),
            ],
            a.body,
        )
            .into_response(),
        None => (StatusCode::NOT_FOUND, "not found").into_response(),
    }
}
