//! Page handlers, one module per area of the product.

pub mod admin;
pub mod catalog;
pub mod context;
pub mod dashboard;
pub mod systems;
