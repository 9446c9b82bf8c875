//! Failed logins per key (`client:…`, `name:…`) within a sliding window.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Failed logins a name may have in [`FAILURE_WINDOW`] before it must wait.
pub const FAILURES_PER_NAME: u32 = 5;
/// Failed logins one client address may have in [`FAILURE_WINDOW`].
pub const FAILURES_PER_CLIENT: u32 = 20;
pub const FAILURE_WINDOW: Duration = Duration::from_secs(15 * 60);

#[derive(Default)]
pub struct Limiter {
    failures: Mutex<HashMap<String, Vec<Instant>>>,
}

impl Limiter {
    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, Vec<Instant>>> {
        self.failures.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Seconds to wait when any key is over its limit.
    pub fn check(&self, keys: &[(String, u32)]) -> Option<u64> {
        let mut map = self.lock();
        let now = Instant::now();
        map.retain(|_, times| {
            times.retain(|t| now.duration_since(*t) < FAILURE_WINDOW);
            !times.is_empty()
        });
        keys.iter()
            .filter_map(|(key, limit)| {
                let times = map.get(key)?;
                (times.len() as u32 >= *limit).then(|| {
                    let oldest = times[times.len() - *limit as usize];
                    (FAILURE_WINDOW - now.duration_since(oldest))
                        .as_secs()
                        .max(1)
                })
            })
            .max()
    }

    pub fn fail(&self, keys: &[(String, u32)]) {
        let mut map = self.lock();
        for (key, _) in keys {
            map.entry(key.clone()).or_default().push(Instant::now());
        }
    }

    pub fn clear(&self, key: &str) {
        self.lock().remove(key);
    }
}
