//! Controls and the Statement of Applicability for scripts: how the organization implements each control (with
//! what else it covers through the crosswalks), the SoA computed live from the records with its drift from the
//! approved version, approving (freezing) a version, and the difference between versions.

use super::error::{ApiError, ErrorBody};
use super::extract::{ApiJson, ApiQuery, Caller, TRUE_OR_FALSE, if_match, query_choice};
use super::schema::{
    ControlImplementationPage, SoaDiff, SoaState, SoaVersionPage, StoredControlDetail,
    StoredControlImplementation, StoredSoaVersion,
};
use super::{one, saved, stale};
use aims_app::AppError;
use aims_domain::ValidationError;
use aims_domain::controls::ControlImplementation;
use aims_domain::soa::SoaApproval;
use aims_domain::vocab::ImplementationStatus;
use axum::Json;
use axum::extract::Path;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use utoipa::IntoParams;

/// Every control implementation the organization has recorded, in control order.
#[utoipa::path(
    get, path = "/api/v1/controls", tag = "controls", operation_id = "list_controls",
    responses(
        (status = 200, description = "Every recorded implementation, in control order; the list is whole (`next_cursor` is null)", body = ControlImplementationPage),
    )
)]
pub async fn controls(caller: Caller) -> Result<Response, ApiError> {
    let items = caller.app.controls(&caller.actor(), caller.org()).await?;
    Ok(crate::api::whole(items))
}

/// How the organization implements one control, and what else that answers through the crosswalks.
#[utoipa::path(
    get, path = "/api/v1/controls/{control}", tag = "controls", operation_id = "get_control",
    params(("control" = String, Path, description = "Control identifier (`A.6.2.4`, or one of the organization's own such as `ORG-1`), URL-encoded")),
    responses(
        (status = 200, description = "The implementation with `also_covers`", body = StoredControlDetail,
            headers(("ETag" = String, description = "The version, quoted; send it back in If-Match"))),
        (status = 404, description = "The control has no implementation recorded in this organization", body = ErrorBody),
    )
)]
pub async fn control(caller: Caller, Path(control): Path<String>) -> Result<Response, ApiError> {
    if control.contains('\0') {
        return Err(ApiError::not_found(
            "there is no control with a NUL character in its identifier",
        ));
    }
    let view = caller
        .app
        .control(&caller.actor(), caller.org(), &control)
        .await?;
    let detail = StoredControlDetail::from(view);
    let version = detail.version;
    let mut res = Json(detail).into_response();
    if let Ok(v) = HeaderValue::from_str(&format!("\"{version}\"")) {
        res.headers_mut().insert(header::ETAG, v);
    }
    Ok(res)
}

/// Record how the organization implements a control: creates the record when the control has none, otherwise
/// replaces it. The body's `control` must be the control of the address.
#[utoipa::path(
    put, path = "/api/v1/controls/{control}", tag = "controls", operation_id = "set_control",
    params(
        ("control" = String, Path, description = "Control identifier (`A.6.2.4`, or one of the organization's own such as `ORG-1`), URL-encoded"),
        ("If-Match" = Option<String>, Header, description = "Optional: ETag of the version being replaced (`\"0\"` when creating)"),
    ),
    request_body = ControlImplementation,
    responses(
        (status = 200, description = "The replaced implementation", body = StoredControlImplementation,
            headers(("ETag" = String, description = "The new version, quoted"))),
        (status = 201, description = "The first implementation of this control", body = StoredControlImplementation,
            headers(("ETag" = String, description = "The version, quoted"), ("Location" = String, description = "Address of the control"))),
        (status = 422, description = "Invalid values (`control` differs from the address, an exclusion without justification, an unknown supplier or certificate); `details` names every field", body = ErrorBody),
    )
)]
pub async fn set_control(
    caller: Caller,
    Path(control): Path<String>,
    headers: HeaderMap,
    ApiJson(c): ApiJson<ControlImplementation>,
) -> Result<Response, ApiError> {
    let expected = if_match(&headers, false)?;
    if c.control.trim() != control.trim() {
        return Err(AppError::from(ValidationError::one(
            "control",
            format!(
                "'{}' is not the control of this address ({}); send the implementation of {} here",
                c.control,
                control.trim(),
                control.trim()
            ),
        ))
        .into());
    }
    let s = caller
        .app
        .set_control(&caller.actor(), caller.org(), c, expected)
        .await
        .map_err(stale)?;
    let location = format!("/api/v1/controls/{}", encode_segment(&s.data.control));
    Ok(saved(&location, &s))
}

/// Percent-encodes a path segment (control ids are mostly `A.6.2.4`, but the organization's own may hold spaces).
fn encode_segment(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Filters of the live Statement of Applicability.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct SoaQuery {
    /// Only lines with this implementation status (`not_started`, `planned`, `partial`, `implemented`,
    /// `not_applicable`).
    status: Option<String>,
    /// Only included (`true`) or excluded (`false`) controls.
    applicable: Option<String>,
}

/// The Statement of Applicability computed from the live records: every Annex A control and the organization's
/// own, whether it applies and why (the risks it treats, impact assessments, legal duties and recorded reasons)
/// or why it is excluded; with the drift from the latest approved version and hints on exclusions to revisit.
#[utoipa::path(
    get, path = "/api/v1/soa", tag = "soa", operation_id = "get_soa",
    params(SoaQuery),
    responses(
        (status = 200, description = "The live Statement of Applicability; the filters apply to `entries` only", body = SoaState),
        (status = 400, description = "Unknown or malformed query parameter", body = ErrorBody),
        (status = 422, description = "A status outside its vocabulary", body = ErrorBody),
    )
)]
pub async fn live(caller: Caller, ApiQuery(q): ApiQuery<SoaQuery>) -> Result<Response, ApiError> {
    let applicable = query_choice(
        "applicable",
        q.applicable.as_deref().map(str::trim),
        TRUE_OR_FALSE,
    )?;
    let status = match q.status.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(s) => Some(
            ImplementationStatus::parse("status", s)
                .map_err(AppError::from)?
                .as_str(),
        ),
    };
    let mut view = caller.app.soa(&caller.actor(), caller.org()).await?;
    let has_drift = view.has_drift();
    view.entries.retain(|e| {
        applicable.is_none_or(|a| e.applicable == a) && status.is_none_or(|s| e.status == s)
    });
    Ok(Json(SoaState { view, has_drift }).into_response())
}

/// Every approved version of the Statement of Applicability, newest first.
#[utoipa::path(
    get, path = "/api/v1/soa/versions", tag = "soa", operation_id = "list_soa_versions",
    responses(
        (status = 200, description = "Every approved version, newest first; the list is whole (`next_cursor` is null)", body = SoaVersionPage),
    )
)]
pub async fn versions(caller: Caller) -> Result<Response, ApiError> {
    let items = caller
        .app
        .soa_versions(&caller.actor(), caller.org())
        .await?;
    Ok(crate::api::whole(items))
}

/// Approve the Statement of Applicability as it stands now (managers and admins): it is frozen as the next
/// numbered version together with the treatment plan and the residual-risk acceptances. Refused while any line
/// has a problem; `details` then names each line as `entries[A.x.y]`.
#[utoipa::path(
    post, path = "/api/v1/soa/versions", tag = "soa", operation_id = "approve_soa",
    request_body = SoaApproval,
    responses(
        (status = 201, description = "The approved version; `Location` names it", body = StoredSoaVersion,
            headers(("ETag" = String, description = "The version, quoted"), ("Location" = String, description = "Address of the new version"))),
        (status = 403, description = "Only managers and admins approve the SoA; or the CSRF header is missing", body = ErrorBody),
        (status = 409, description = "Another version was approved at the same moment; try again", body = ErrorBody),
        (status = 422, description = "No approver or role, or lines with problems (`entries[A.x.y]`: an exclusion without justification, an inclusion without a reason, an excluded control that a risk, assessment or legal duty calls for)", body = ErrorBody),
    )
)]
pub async fn approve(
    caller: Caller,
    ApiJson(approval): ApiJson<SoaApproval>,
) -> Result<Response, ApiError> {
    let s = caller
        .app
        .approve_soa(&caller.actor(), caller.org(), approval)
        .await?;
    let mut res = one(&s);
    *res.status_mut() = StatusCode::CREATED;
    if let Ok(v) = HeaderValue::from_str(&format!("/api/v1/soa/versions/{}", s.data.number)) {
        res.headers_mut().insert(header::LOCATION, v);
    }
    Ok(res)
}

fn version_number(field: &str, text: &str) -> Result<i64, ApiError> {
    text.trim().parse::<i64>().map_err(|_| {
        ApiError::bad_field(field, format!("'{text}' is not a version number (1, 2, …)"))
    })
}

/// One approved version of the Statement of Applicability, as it was frozen.
#[utoipa::path(
    get, path = "/api/v1/soa/versions/{number}", tag = "soa", operation_id = "get_soa_version",
    params(("number" = i64, Path, description = "Version number (1, 2, …)")),
    responses(
        (status = 200, description = "The approved version", body = StoredSoaVersion,
            headers(("ETag" = String, description = "The version, quoted"))),
        (status = 400, description = "The number is not a whole number", body = ErrorBody),
        (status = 404, description = "No such approved version in this organization", body = ErrorBody),
    )
)]
pub async fn version(caller: Caller, Path(number): Path<String>) -> Result<Response, ApiError> {
    let n = version_number("number", &number)?;
    let s = caller
        .app
        .soa_version(&caller.actor(), caller.org(), n)
        .await?;
    Ok(one(&s))
}

/// Query of the SoA comparison.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct DiffQuery {
    /// The older approved version.
    #[param(value_type = i64)]
    from: String,
    /// The newer approved version; the live state when left out.
    #[param(value_type = Option<i64>)]
    to: Option<String>,
}

/// What changed between two approved versions, or between an approved version and the live state.
#[utoipa::path(
    get, path = "/api/v1/soa/diff", tag = "soa", operation_id = "diff_soa",
    params(DiffQuery),
    responses(
        (status = 200, description = "The changed lines and risks", body = SoaDiff),
        (status = 400, description = "`from` missing, a version that is not a whole number, or an unknown parameter", body = ErrorBody),
        (status = 404, description = "No such approved version in this organization", body = ErrorBody),
    )
)]
pub async fn diff(caller: Caller, ApiQuery(q): ApiQuery<DiffQuery>) -> Result<Response, ApiError> {
    let from = version_number("from", &q.from)?;
    let to = match q.to.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(t) => Some(version_number("to", t)?),
    };
    let changes = caller
        .app
        .soa_diff(&caller.actor(), caller.org(), from, to)
        .await?;
    Ok(Json(SoaDiff { from, to, changes }).into_response())
}
