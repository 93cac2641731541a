//! The Statement of Applicability in the browser (6.1.3 d–f): every control with whether it applies and why — the
//! risks it treats, impact assessments, legal duties and recorded reasons, each a link to its record — or why it is
//! excluded; what stops approval; the drift since the approved version; approval of a new version; the approved
//! versions and the comparison of two of them. And the page of one control, where its implementation is recorded.

mod control;
mod lines;
mod page;
mod versions;

pub use control::{control, set_control};
pub(crate) use control::{kinds, read_control, statuses};
pub use page::{approve, show};
pub use versions::{diff, version, versions};
