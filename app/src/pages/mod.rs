//! One module per page.

pub mod audit;
pub mod not_found;
pub mod overview;
pub mod streams;
pub mod wizard;
