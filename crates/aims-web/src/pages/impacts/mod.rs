//! AI system impact assessments in the browser (6.1.4, 8.4, A.5): the list, a guided form that walks through the
//! chosen template's sections with their help texts and then the template's own questions, affected parties and
//! impacts as repeated rows, the assessment with each impact's level and the register risk raised for harms above
//! the risk appetite, and approval.

mod detail;
mod edit;
mod form;
mod list;
mod read;

pub use detail::{approve, show};
pub use edit::{create, edit_form, new_form, update};
pub use list::list;

use crate::pages::form::vocab;
