//! Page handlers, one module per area of the product.

pub mod admin;
pub mod catalog;
pub mod classification;
pub mod context;
pub mod controls;
pub mod ctx;
pub mod dashboard;
pub mod form;
pub mod heatmap;
pub mod impacts;
pub mod method;
pub mod records;
pub mod risks;
pub mod soa;
pub mod systems;
