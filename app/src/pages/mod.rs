//! One module per page.

pub mod audit;
pub mod login;
pub mod not_found;
pub mod operators;
pub mod overview;
pub mod stream;
pub mod stream_form;
pub mod stream_manage;
pub mod streams;
pub mod task;
pub mod wizard;
