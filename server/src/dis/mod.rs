//! Everything that speaks the DIS protocol: the signer, the typed client, its errors and its
//! token sources. Nothing outside this module builds a DIS URL or signs a request.

pub mod client;
pub mod error;
pub mod port;
pub mod signer;
pub mod token;

pub use client::{Auth, ClientConfig, Created, DisClient, Limits};
pub use error::DisError;
