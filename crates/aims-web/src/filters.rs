//! Template filters. A template's `filters::…` resolves in the module that derives it, so each such module
//! brings this one into scope with `use crate::filters;`.

/// `{{ value|label }}`: a stored vocabulary value as people read it (see `aims_domain::vocab::label`).
#[askama::filter_fn]
pub fn label(value: impl std::fmt::Display, _: &dyn askama::Values) -> askama::Result<String> {
    Ok(aims_domain::vocab::label(&value.to_string()))
}
