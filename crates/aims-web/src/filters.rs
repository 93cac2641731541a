//! Template filters. A template's `filters::…` resolves in the module that derives it, so each such module
//! brings this one into scope with `use crate::filters;`.

/// `{{ ts|when }}`: an RFC 3339 time as people read it, to the minute (`2026-12-04 20:49 UTC`); anything else as
/// it is. The page script shows it in the reader's own time zone; the precise value stays in the element's
/// `datetime` and `title` (see the `when` macro).
#[askama::filter_fn]
pub fn when(ts: impl std::fmt::Display, _: &dyn askama::Values) -> askama::Result<String> {
    let ts = ts.to_string();
    Ok(match (ts.get(..10), ts.get(10..11), ts.get(11..16)) {
        (Some(day), Some("T"), Some(minute)) if ts.ends_with('Z') => format!("{day} {minute} UTC"),
        _ => ts,
    })
}

/// `{{ value|label }}`: a stored vocabulary value as people read it (see `aims_domain::vocab::label`).
#[askama::filter_fn]
pub fn label(value: impl std::fmt::Display, _: &dyn askama::Values) -> askama::Result<String> {
    Ok(aims_domain::vocab::label(&value.to_string()))
}
