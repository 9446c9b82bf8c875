//! The console's side of DIS: the typed client, its errors, its token sources and the port it
//! implements for `app`. Nothing outside this module builds a DIS URL or sends a signed request;
//! the signer itself is `dis_protocol::signer`, shared with the embedded backend.

pub mod client;
pub mod error;
pub mod port;
pub mod token;

pub use client::{Auth, ClientConfig, DisClient, Limits};
pub use error::DisError;
