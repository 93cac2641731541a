//! The organization's risk method in the browser (6.1.1, 6.1.2): the scales with what each point means, the levels
//! with their colours, the matrix as a coloured grid, the impact dimensions and the risk appetite, and the list of
//! saved versions. Managers and admins change it through a form that saves a new numbered version; earlier
//! assessments keep the version that scored them.
//!
//! The form reads the scales as fixed rows (up to the largest scale aims allows; empty rows are dropped) and the
//! matrix as one select per cell. When the scales change size the grid cannot be right any more, so the form comes
//! back with the grid resized to the new scales — each remaining cell keeps the level it had for the same points —
//! and asks for the new cells to be filled rather than guessing them. A level added in the form comes back the
//! same way, so that it can be chosen in the grid.

mod form;
mod parse;
mod save;
mod view;

pub use form::edit_form;
pub use save::save;
pub use view::show;
