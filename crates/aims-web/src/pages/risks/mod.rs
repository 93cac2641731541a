//! The AI risk register in the browser (6.1.2, 8.2, 8.3): a searchable, filterable, sortable register with the
//! inherent and residual heat maps; each risk with its systems, sources, objectives, the history of its
//! assessments and its treatment plans; forms to record a risk, re-assess it, plan its treatment and accept the
//! residual risk.

mod acceptance;
mod assess_fields;
mod detail;
mod forms;
mod reassess;
mod register;
mod treatments;

pub use acceptance::{accept, accept_form};
pub use detail::show;
pub use forms::{create, edit_form, new_form, update};
pub use reassess::{assess, assess_form};
pub use register::list;
pub use treatments::{create_treatment, edit_treatment, new_treatment, update_treatment};
