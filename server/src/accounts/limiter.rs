//! Login attempts per key within a sliding window. An attempt counts from the moment it starts
//! (it is reserved before the password is hashed), so a burst of simultaneous logins meets the
//! same limits as logins one after another; a successful one gives its place back.
//!
//! The keys: a name from one client address (5), a client address (20), and a name from every
//! address together (50). The first stops guessing one operator's password; the second,
//! guessing across names; the third, a guess spread over many addresses. A name is locked for
//! one address after 5 failures, so nobody elsewhere can lock `admin` out by failing on purpose
//! until 50 failures from everywhere.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Failed logins for one name from one client address in [`FAILURE_WINDOW`].
pub const FAILURES_PER_NAME_AND_CLIENT: u32 = 5;
/// Failed logins from one client address, whatever the names, in [`FAILURE_WINDOW`].
pub const FAILURES_PER_CLIENT: u32 = 20;
/// Failed logins for one name from every address together in [`FAILURE_WINDOW`].
pub const FAILURES_PER_NAME: u32 = 50;
pub const FAILURE_WINDOW: Duration = Duration::from_secs(15 * 60);

/// The keys and limits of one login attempt.
pub fn keys(name: &str, client: &str) -> [(String, u32); 3] {
    [
        (
            format!("name:{name}\u{0}client:{client}"),
            FAILURES_PER_NAME_AND_CLIENT,
        ),
        (format!("client:{client}"), FAILURES_PER_CLIENT),
        (format!("name:{name}"), FAILURES_PER_NAME),
    ]
}

#[derive(Default)]
pub struct Limiter {
    attempts: Mutex<HashMap<String, Vec<Instant>>>,
}

/// A counted attempt. Dropped as it is, it stays a failure; [`Limiter::succeeded`] returns it.
#[must_use = "an attempt is a failure unless it is returned as a success"]
pub struct Attempt {
    keys: [(String, u32); 3],
    at: Instant,
}

impl Limiter {
    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<String, Vec<Instant>>> {
        self.attempts.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Counts an attempt with these keys, unless one of them is at its limit: then the seconds
    /// until the oldest counted attempt leaves the window.
    pub fn begin(&self, keys: [(String, u32); 3]) -> Result<Attempt, u64> {
        let mut map = self.lock();
        let now = Instant::now();
        map.retain(|_, times| {
            times.retain(|t| now.duration_since(*t) < FAILURE_WINDOW);
            !times.is_empty()
        });
        let wait = keys
            .iter()
            .filter_map(|(key, limit)| {
                let times = map.get(key)?;
                (times.len() as u32 >= *limit).then(|| {
                    let oldest = times[times.len() - *limit as usize];
                    (FAILURE_WINDOW - now.duration_since(oldest))
                        .as_secs()
                        .max(1)
                })
            })
            .max();
        if let Some(wait) = wait {
            return Err(wait);
        }
        for (key, _) in &keys {
            map.entry(key.clone()).or_default().push(now);
        }
        Ok(Attempt { keys, at: now })
    }

    /// The attempt succeeded: it is not counted, and the failures of its name that came before
    /// it are forgotten (the operator has shown they know the password). Attempts that began
    /// after it stay counted: they may be a guesser's, still under way.
    pub fn succeeded(&self, attempt: Attempt) {
        let mut map = self.lock();
        let [by_name_and_client, by_client, by_name] = &attempt.keys;
        for key in [&by_name_and_client.0, &by_name.0] {
            if let Some(times) = map.get_mut(key) {
                times.retain(|t| *t > attempt.at);
            }
        }
        if let Some(times) = map.get_mut(&by_client.0) {
            if let Some(i) = times.iter().position(|t| *t == attempt.at) {
                times.remove(i);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn attempts_count_when_they_start() {
        let limiter = Limiter::default();
        let started: Vec<Attempt> = (0..FAILURES_PER_NAME_AND_CLIENT)
            .map(|_| limiter.begin(keys("admin", "10.0.0.1")).unwrap())
            .collect();
        // Five are under way and none has failed yet: a sixth already waits.
        let wait = limiter.begin(keys("admin", "10.0.0.1")).err().unwrap();
        assert!((1..=FAILURE_WINDOW.as_secs()).contains(&wait));
        // Another address may still try the same name.
        let other = limiter.begin(keys("admin", "10.0.0.2")).unwrap();
        limiter.succeeded(other);
        // A success forgets the name's failures that came before it.
        let mut started = started.into_iter();
        let first = started.next().unwrap();
        let later: Vec<Attempt> = started.collect();
        limiter.succeeded(first);
        // The four that began after it still count: one more fits, then the name waits.
        assert_eq!(later.len(), 4);
        let _fifth = limiter.begin(keys("admin", "10.0.0.1")).unwrap();
        assert!(limiter.begin(keys("admin", "10.0.0.1")).is_err());
        let ok = limiter.begin(keys("ann", "10.0.0.1")).unwrap();
        limiter.succeeded(ok);
    }

    #[test]
    fn one_address_cannot_try_more_than_twenty_names_nor_anyone_fifty_times_one_name() {
        let limiter = Limiter::default();
        for i in 0..FAILURES_PER_CLIENT {
            let _failed = limiter
                .begin(keys(&format!("user{i}"), "10.0.0.1"))
                .unwrap();
        }
        assert!(limiter.begin(keys("someone", "10.0.0.1")).is_err());
        for i in 0..FAILURES_PER_NAME {
            let _failed = limiter
                .begin(keys("admin", &format!("10.1.0.{i}")))
                .unwrap();
        }
        assert!(limiter.begin(keys("admin", "10.2.0.1")).is_err());
        assert!(limiter.begin(keys("ann", "10.2.0.1")).is_ok());
    }
}
