//! The DIS protocol below the JSON bodies, shared by the console's client (`server::dis`) and
//! the embedded backend (`dis-backend`), so the two cannot drift apart: the SDK-HMAC-SHA256
//! signature with its canonical request, the `X-Sdk-Date` header, and IAM's token times.
//!
//! The JSON bodies themselves live in `app::domain::dis`, beside the rules that build them.
//! Nothing here does I/O.

pub mod signer;
pub mod time;
