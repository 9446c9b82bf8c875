//! Components shared by the pages.

pub mod browser;
pub mod fields;
pub mod session;
pub mod time;
pub mod toast;
