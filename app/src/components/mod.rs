//! Components shared by the pages.

pub mod action;
pub mod badge;
pub mod browser;
pub mod fields;
pub mod files;
pub mod notes;
pub mod part;
pub mod session;
pub mod table;
pub mod time;
pub mod toast;
pub mod traffic;
