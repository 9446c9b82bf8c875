//! The work behind the server functions, as plain functions over the ports. They read nothing
//! of the request but its id, for log lines, except [`session`], which starts and ends
//! sessions. Server functions call them after their guard; the command line calls
//! [`operators::change`] directly; tests call them with the in-memory fakes of `fakes`. Server
//! only.

pub mod files;
pub mod operators;
pub mod overview;
pub mod sample;
pub mod session;
pub mod stream_changes;
pub mod streams;
pub mod tasks;
pub mod traffic;

#[cfg(test)]
pub mod fakes;

use std::sync::Arc;

/// What `cache` holds under `key` if it is still `fresh` (by its age in ms); else what `read`
/// reads now, kept for the next asker (a failed read is not kept). Reads no longer fresh are
/// dropped, and the oldest go first while `most` are held.
pub(crate) async fn shared<T, E>(
    cache: &crate::ports::SharedReads<T>,
    key: String,
    now_ms: i64,
    fresh: impl Fn(i64) -> bool,
    most: usize,
    read: impl std::future::Future<Output = Result<T, E>>,
) -> Result<Arc<T>, E> {
    let lock = || cache.lock().unwrap_or_else(|e| e.into_inner());
    let hit = lock()
        .get(&key)
        .filter(|(at, _)| fresh(now_ms - *at))
        .map(|(_, value)| value.clone());
    if let Some(value) = hit {
        return Ok(value);
    }
    let value = Arc::new(read.await?);
    let mut cache = lock();
    cache.retain(|_, (at, _)| fresh(now_ms - *at));
    while cache.len() >= most {
        let Some(oldest) = cache
            .iter()
            .min_by_key(|(_, (at, _))| *at)
            .map(|(k, _)| k.clone())
        else {
            break;
        };
        cache.remove(&oldest);
    }
    cache.insert(key, (now_ms, value.clone()));
    Ok(value)
}
