//! Server functions. Each one is a public HTTP endpoint and reads, top to bottom: the role its
//! row in [`access`] names, the audit line it writes, and one call into `crate::services`.
//! [`serve`] runs that recipe; [`envelope`] is what every call reads from its request.

pub mod access;
pub mod admin;
pub mod codec;
#[cfg(feature = "ssr")]
pub mod envelope;
pub mod parts;
#[cfg(feature = "ssr")]
pub mod serve;
pub mod session;
pub mod status;
pub mod streams;
pub mod tasks;
