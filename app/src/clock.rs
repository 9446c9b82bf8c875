//! The one clock: milliseconds since the epoch. In the browser it reads the browser's clock;
//! on the server, the system's. Everything that stamps a time (sessions, audit lines, signed
//! requests, the embedded backend's dumps) reads it here, so a test can line up with all of
//! them at once.

/// Now, in epoch milliseconds.
pub fn now_ms() -> i64 {
    #[cfg(feature = "hydrate")]
    {
        js_sys::Date::now() as i64
    }
    #[cfg(not(feature = "hydrate"))]
    {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_millis() as i64)
            .unwrap_or(0)
    }
}
