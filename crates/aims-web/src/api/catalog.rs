//! `/api/v1/frameworks`: the framework catalogue (ISO/IEC 42001, NIST AI RMF, EU AI Act) and its crosswalks, read
//! only, for every role.

use super::error::{ApiError, ErrorBody};
use super::extract::{ApiQuery, Caller};
use aims_app::RecordId;
use aims_app::catalogue::{Catalogue, FrameworkRow, ItemRow, MappingRow};
use axum::Json;
use axum::extract::Path;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use utoipa::IntoParams;

/// Query of the item list.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ItemsQuery {
    /// Only items of this kind (`clause`, `control`, `article`, `subcategory`, …); every kind when left out.
    kind: Option<String>,
}

/// Refuses an item identifier holding a NUL character (which PostgreSQL text cannot hold) as not found.
fn check_ref(reference: &str) -> Result<(), ApiError> {
    if reference.contains('\0') {
        return Err(ApiError::not_found(
            "there is no item with a NUL character in its identifier",
        ));
    }
    Ok(())
}

/// The catalogue, for any role (reading it needs the read permission only, which `aims_app` checks).
fn catalogue(caller: &Caller) -> Result<&'static Catalogue, ApiError> {
    Ok(caller.app.catalogue(&caller.actor())?)
}

/// Ok when the catalogue has framework `id`, otherwise 404 naming it.
fn framework_exists(catalogue: &Catalogue, id: &str) -> Result<(), ApiError> {
    if catalogue.frameworks().iter().any(|f| f.info.id == id) {
        Ok(())
    } else {
        Err(ApiError::not_found(format!(
            "no framework '{id}' in the catalogue"
        )))
    }
}

/// The item `reference` of framework `id`, or 404 naming the framework or the item that is missing; shared by
/// the item and its mappings, which answer a missing item the same way.
fn find_item(catalogue: &Catalogue, id: &str, reference: &str) -> Result<ItemRow, ApiError> {
    framework_exists(catalogue, id)?;
    check_ref(reference)?;
    catalogue
        .item(id, reference)
        .ok_or_else(|| ApiError::not_found(format!("no item '{reference}' in framework '{id}'")))
}

/// Every framework of the catalogue.
#[utoipa::path(
    get, path = "/api/v1/frameworks", tag = "catalogue", operation_id = "list_frameworks",
    responses(
        (status = 200, description = "Every framework", body = Vec<FrameworkRow>),
    )
)]
pub async fn frameworks(caller: Caller) -> Result<Response, ApiError> {
    Ok(Json(catalogue(&caller)?.frameworks()).into_response())
}

/// The items of a framework in document order.
#[utoipa::path(
    get, path = "/api/v1/frameworks/{id}/items", tag = "catalogue", operation_id = "list_framework_items",
    params(("id" = String, Path, description = "Framework id"), ItemsQuery),
    responses(
        (status = 200, description = "The items, in document order", body = Vec<ItemRow>),
        (status = 400, description = "Unknown query parameter", body = ErrorBody),
        (status = 404, description = "No such framework", body = ErrorBody),
    )
)]
pub async fn items(
    caller: Caller,
    Path(id): Path<RecordId>,
    ApiQuery(q): ApiQuery<ItemsQuery>,
) -> Result<Response, ApiError> {
    let catalogue = catalogue(&caller)?;
    framework_exists(catalogue, &id)?;
    let kind = q.kind.unwrap_or_default();
    let kinds: Vec<&str> = if kind.is_empty() {
        vec![]
    } else {
        vec![kind.as_str()]
    };
    let rows = catalogue.items(&id, &kinds);
    Ok(Json(rows).into_response())
}

/// One item of a framework; the ref is URL-encoded (`GOVERN%201.1`).
#[utoipa::path(
    get, path = "/api/v1/frameworks/{id}/items/{ref}", tag = "catalogue", operation_id = "get_framework_item",
    params(
        ("id" = String, Path, description = "Framework id"),
        ("ref" = String, Path, description = "Item identifier, URL-encoded (e.g. `A.6.2.4`, `GOVERN%201.1`)"),
    ),
    responses(
        (status = 200, description = "The item", body = ItemRow),
        (status = 404, description = "No such framework or item", body = ErrorBody),
    )
)]
pub async fn item(
    caller: Caller,
    Path((id, reference)): Path<(String, String)>,
) -> Result<Response, ApiError> {
    let i = find_item(catalogue(&caller)?, &id, &reference)?;
    Ok(Json(i).into_response())
}

/// What an item maps to in the other frameworks, in either direction of every crosswalk.
#[utoipa::path(
    get, path = "/api/v1/frameworks/{id}/items/{ref}/mappings", tag = "catalogue", operation_id = "list_item_mappings",
    params(
        ("id" = String, Path, description = "Framework id"),
        ("ref" = String, Path, description = "Item identifier, URL-encoded"),
    ),
    responses(
        (status = 200, description = "The mappings", body = Vec<MappingRow>),
        (status = 404, description = "No such framework or item", body = ErrorBody),
    )
)]
pub async fn mappings(
    caller: Caller,
    Path((id, reference)): Path<(String, String)>,
) -> Result<Response, ApiError> {
    let catalogue = catalogue(&caller)?;
    find_item(catalogue, &id, &reference)?;
    let rows = catalogue.mappings(&id, &reference);
    Ok(Json(rows).into_response())
}
