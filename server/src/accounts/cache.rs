//! Enabled operators recently read, so the session check of every request does not go to
//! SQLite.

use app::ports::LiveOperator;
use std::collections::HashMap;
use std::time::{Duration, Instant};

/// How long an enabled operator's name and role, read for a request, serve later requests. A
/// change made in the console applies at once; one made with `server user` from another
/// process applies within this long.
pub const OPERATOR_CACHE_TTL: Duration = Duration::from_secs(2);

/// Enabled operators by id, with when each was read. `generation` counts the changes made in
/// the console: a read that began before a change does not store what it read.
#[derive(Default)]
pub struct OperatorCache(std::sync::Mutex<SeenOperators>);

#[derive(Default)]
pub struct SeenOperators {
    generation: u64,
    by_id: HashMap<i64, (Instant, LiveOperator)>,
}

impl OperatorCache {
    fn lock(&self) -> std::sync::MutexGuard<'_, SeenOperators> {
        self.0.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// The operator if read recently, else the generation to pass to [`OperatorCache::put`].
    pub fn get(&self, id: i64) -> Result<LiveOperator, u64> {
        let seen = self.lock();
        match seen.by_id.get(&id) {
            Some((at, me)) if at.elapsed() < OPERATOR_CACHE_TTL => Ok(me.clone()),
            _ => Err(seen.generation),
        }
    }

    pub fn put(&self, id: i64, me: &LiveOperator, generation: u64) {
        let mut seen = self.lock();
        if seen.generation != generation {
            return;
        }
        seen.by_id
            .retain(|_, (at, _)| at.elapsed() < OPERATOR_CACHE_TTL);
        seen.by_id.insert(id, (Instant::now(), me.clone()));
    }

    pub fn clear(&self) {
        let mut seen = self.lock();
        seen.generation += 1;
        seen.by_id.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use app::domain::{Me, Role};

    #[test]
    fn a_read_that_began_before_a_change_is_not_kept() {
        let cache = OperatorCache::default();
        let me = LiveOperator {
            me: Me {
                name: "ann".into(),
                role: Role::Admin,
            },
            password_epoch: 0,
        };
        let before = cache.get(1).unwrap_err();
        cache.clear();
        cache.put(1, &me, before);
        assert!(cache.get(1).is_err(), "stale read kept");
        let now = cache.get(1).unwrap_err();
        cache.put(1, &me, now);
        assert_eq!(cache.get(1).unwrap(), me);
    }
}
