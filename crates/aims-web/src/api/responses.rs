//! The error responses every operation shares, added to the OpenAPI document in code so that each handler's
//! `#[utoipa::path]` lists only what is particular to it: its success, and the errors whose meaning differs from
//! one operation to another (a 404 naming what is missing, a 422 naming what is checked, a role restriction).
//!
//! What an operation shares follows from its shape, the same way the extractors decide it at run time:
//! - every operation needs credentials (the document's security applies to all), so each can answer 401;
//! - every unsafe method checks the role and, for session callers, the CSRF header, so each can answer 403;
//! - every JSON request body goes through [`super::extract::ApiJson`], so each can answer 400, 413 and 415;
//! - every `If-Match` header goes through [`super::extract::if_match`], so each can answer 400 and 412, and 428
//!   when the header is required;
//! - every operation can meet a failing store (500).
//!
//! An answer the handler documents itself is kept as written; only missing ones are added.

use std::collections::BTreeMap;
use utoipa::IntoResponses;
use utoipa::openapi::path::{Operation, ParameterIn};
use utoipa::openapi::{ContentBuilder, OpenApi, Ref, RefOr, Required, Response, ResponseBuilder};

/// An error answer with the given description and the error shape as body.
fn error_response(description: &str) -> RefOr<Response> {
    ResponseBuilder::new()
        .description(description)
        .content(
            "application/json",
            ContentBuilder::new()
                .schema(Some(Ref::from_schema_name("ErrorBody")))
                .build(),
        )
        .build()
        .into()
}

/// One shared answer on an operation, unless the handler documents that status itself.
fn error(status: &str, description: &str, op: &mut Operation) {
    op.responses
        .responses
        .entry(status.to_string())
        .or_insert_with(|| error_response(description));
}

/// The errors of an operation addressing one record by its UUID (`{id}`): 404 when the organization has no such
/// record, 422 when the id is not a UUID. Listed in `responses(...)` after the success, so that these handlers
/// do not each spell out the same two answers.
pub struct RecordById;

impl IntoResponses for RecordById {
    fn responses() -> BTreeMap<String, RefOr<Response>> {
        BTreeMap::from([
            (
                "404".to_string(),
                error_response("No such record in this organization"),
            ),
            ("422".to_string(), error_response("The id is not a UUID")),
        ])
    }
}

/// Whether the operation reads an `If-Match` header, and whether it must be sent.
fn if_match(op: &Operation) -> Option<bool> {
    op.parameters.iter().flatten().find_map(|p| match p {
        RefOr::T(p) if p.name == "If-Match" && matches!(p.parameter_in, ParameterIn::Header) => {
            Some(matches!(p.required, Required::True))
        }
        _ => None,
    })
}

/// Adds the shared error answers (see the module documentation) to every operation of the document.
pub fn add_shared_errors(mut doc: OpenApi) -> OpenApi {
    let secured = doc.security.as_ref().is_some_and(|s| !s.is_empty());
    for item in doc.paths.paths.values_mut() {
        let ops = [
            (false, &mut item.get),
            (true, &mut item.post),
            (true, &mut item.put),
            (true, &mut item.delete),
            (true, &mut item.patch),
        ];
        for (unsafe_method, op) in ops {
            let Some(op) = op.as_mut() else { continue };
            add_to_operation(op, secured, unsafe_method);
        }
    }
    doc
}

/// The shared answers of one operation.
fn add_to_operation(op: &mut Operation, secured: bool, unsafe_method: bool) {
    let needs_credentials = match &op.security {
        Some(own) => !own.is_empty(),
        None => secured,
    };
    if needs_credentials {
        error("401", "No valid credentials", op);
    }
    if unsafe_method {
        error(
            "403",
            "The role cannot change records, or the CSRF header is missing",
            op,
        );
    }
    let body = op.request_body.is_some();
    let if_match = if_match(op);
    match (body, if_match.is_some()) {
        (true, true) => error(
            "400",
            "Malformed JSON, a wrong type, an unknown field or a malformed If-Match",
            op,
        ),
        (true, false) => error(
            "400",
            "Malformed JSON, a wrong type or an unknown field",
            op,
        ),
        (false, true) => error("400", "A malformed If-Match", op),
        (false, false) => {}
    }
    if body {
        error("413", "The body is larger than 1 MiB", op);
        error("415", "The body is not JSON", op);
    }
    if let Some(required) = if_match {
        error("412", "The record changed since that version was read", op);
        if required {
            error("428", "If-Match is missing", op);
        }
    }
    error(
        "500",
        "The store failed (for example the database is unreachable); nothing was changed",
        op,
    );
}
