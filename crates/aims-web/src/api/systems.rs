//! `/api/v1/ai-systems`: the AI system list for scripts (summaries, with filters, sorting and cursor paging).
//! Create, read, replace and history are the record kit's (`records`), retirement a kit step (`steps`).

use super::error::{ApiError, ErrorBody};
use super::extract::{ApiQuery, Caller, TRUE_OR_FALSE, query_choice};
use super::schema::AiSystemSummaryPage;
use aims_app::systems::SystemFilter;
use aims_domain::inventory::AiSystemSummary;
use axum::Json;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use utoipa::IntoParams;

/// Query of the AI system list. Every value is text here and checked by the handler, so that a wrong value is
/// reported naming the parameter.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct SystemsQuery {
    /// Only systems in this life-cycle stage (`idea`, `design`, `development`, `verification`, `deployment`,
    /// `operation`, `retired`).
    stage: Option<String>,
    /// Only systems where the organization plays this role (`provider`, `developer`, `deployer`, `importer`, `distributor`, `user`).
    role: Option<String>,
    /// Only systems inside (`true`) or outside (`false`) the AIMS scope.
    in_scope: Option<String>,
    /// Case-insensitive text in name, purpose, owner or business unit.
    q: Option<String>,
    /// Sort column: `name` (default), `lifecycle_stage`, `owner`, `business_unit`, `created`.
    sort: Option<String>,
    /// `asc` (default) or `desc`.
    order: Option<String>,
    /// Page size, 1–200 (default 50).
    limit: Option<String>,
    /// Cursor from the previous page's `next_cursor`.
    cursor: Option<String>,
}

/// The sort value of a listed system, for the cursor.
fn sort_value(sort: &str, s: &AiSystemSummary) -> String {
    match sort {
        "lifecycle_stage" | "stage" => s.lifecycle_stage.clone(),
        "owner" => s.owner.clone(),
        "business_unit" => s.business_unit.clone(),
        "created" => s.id.clone(),
        _ => s.name.clone(),
    }
}

/// A cursor names the sort, the direction, the last sort value and the last id, as hex of a JSON array, so a
/// cursor cannot be replayed against another order.
fn encode_cursor(sort: &str, desc: bool, value: &str, id: &str) -> String {
    let json = serde_json::json!([sort, if desc { "desc" } else { "asc" }, value, id]);
    hex::encode(json.to_string())
}

fn decode_cursor(cursor: &str, sort: &str, desc: bool) -> Result<(String, String), ApiError> {
    let bad = || ApiError::bad_field("cursor", "is not a cursor given out by this list");
    let bytes = hex::decode(cursor).map_err(|_| bad())?;
    let parts: Vec<String> = serde_json::from_slice(&bytes).map_err(|_| bad())?;
    match parts.as_slice() {
        [s, o, value, id] => {
            if s != sort || o != (if desc { "desc" } else { "asc" }) {
                return Err(ApiError::bad_field(
                    "cursor",
                    "was made for another sort order; keep sort and order the same while paging",
                ));
            }
            Ok((value.clone(), id.clone()))
        }
        _ => Err(bad()),
    }
}

/// List AI systems.
#[utoipa::path(
    get, path = "/api/v1/ai-systems", tag = "ai-systems", operation_id = "list_ai_systems",
    params(SystemsQuery),
    responses(
        (status = 200, description = "A page of AI systems, each with its summary fields (the full record is at `/api/v1/ai-systems/{id}`)", body = AiSystemSummaryPage),
        (status = 400, description = "Unknown or malformed query parameter, or a bad cursor", body = ErrorBody),
        (status = 422, description = "A filter value outside its vocabulary", body = ErrorBody),
    )
)]
pub async fn list(
    caller: Caller,
    ApiQuery(q): ApiQuery<SystemsQuery>,
) -> Result<Response, ApiError> {
    let in_scope = query_choice("in_scope", q.in_scope.as_deref(), TRUE_OR_FALSE)?;
    let desc = query_choice(
        "order",
        q.order.as_deref(),
        &[("asc", false), ("desc", true)],
    )?
    .unwrap_or(false);
    let limit = super::limit_number(q.limit.as_deref())?;
    let sort = q
        .sort
        .clone()
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| "name".into());
    let after = match q.cursor.as_deref() {
        None | Some("") => None,
        Some(c) => Some(decode_cursor(c, &sort, desc)?),
    };
    let filter = SystemFilter {
        stage: q.stage.filter(|s| !s.is_empty()),
        role: q.role.filter(|s| !s.is_empty()),
        in_scope,
        search: q.q.filter(|s| !s.is_empty()),
        sort: Some(sort.clone()),
        descending: desc,
        limit: Some(limit + 1),
    };
    // A list shows the summary fields only; `GET /api/v1/ai-systems/{id}` has the full record.
    let items = caller
        .app
        .system_summaries_after(&caller.actor(), caller.org(), &filter, after)
        .await?;
    let page = super::cut_page(items, limit as usize, |last| {
        encode_cursor(&sort, desc, &sort_value(&sort, last), &last.id)
    });
    Ok(Json(page).into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursors_round_trip_and_are_tied_to_their_order() {
        let c = encode_cursor("name", false, "Credit scoring", "0190");
        assert_eq!(
            decode_cursor(&c, "name", false).unwrap(),
            ("Credit scoring".to_string(), "0190".to_string())
        );
        assert!(decode_cursor(&c, "owner", false).is_err());
        assert!(decode_cursor(&c, "name", true).is_err());
        assert!(decode_cursor("zz", "name", false).is_err());
    }
}
