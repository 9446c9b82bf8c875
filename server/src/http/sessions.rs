//! Session records kept in memory in front of the SQLite store.
//!
//! Every request with a session cookie reads its record, and a session's idle limit moves
//! forward with each request, so every request also saves it. SQLite sees the writes that
//! matter: a new session, changed data, a deletion, and an expiry that has moved by more than
//! [`EXPIRY_WRITE_INTERVAL`]. Reads are served from memory. The console is one process and the
//! only writer of sessions, so the memory is never behind the database; after a restart the
//! records load from SQLite again, at worst with an expiry that interval earlier.

use async_trait::async_trait;
use std::{
    collections::HashMap,
    sync::{Arc, Mutex, MutexGuard},
};
use tower_sessions::{
    cookie::time::{Duration, OffsetDateTime},
    session::{Id, Record},
    session_store::{Error, Result},
    ExpiredDeletion, SessionStore,
};
use tower_sessions_sqlx_store::SqliteStore;

/// How far a session's expiry may move in memory before it is written to SQLite again.
pub const EXPIRY_WRITE_INTERVAL: Duration = Duration::seconds(60);

#[derive(Clone)]
struct Cached {
    record: Record,
    /// The expiry SQLite holds for this record.
    persisted_expiry: OffsetDateTime,
}

#[derive(Clone)]
pub struct SessionCache {
    store: SqliteStore,
    records: Arc<Mutex<HashMap<Id, Cached>>>,
}

impl std::fmt::Debug for SessionCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SessionCache")
            .field("records", &self.lock().len())
            .finish_non_exhaustive()
    }
}

impl SessionCache {
    pub fn new(store: SqliteStore) -> Self {
        Self {
            store,
            records: Arc::default(),
        }
    }

    fn lock(&self) -> MutexGuard<'_, HashMap<Id, Cached>> {
        // A panic while holding the lock cannot leave a half-written map entry behind.
        self.records.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn remember(&self, record: &Record) {
        self.lock().insert(
            record.id,
            Cached {
                record: record.clone(),
                persisted_expiry: record.expiry_date,
            },
        );
    }
}

fn live(record: &Record) -> bool {
    record.expiry_date > OffsetDateTime::now_utc()
}

#[async_trait]
impl SessionStore for SessionCache {
    async fn create(&self, record: &mut Record) -> Result<()> {
        self.store.create(record).await?;
        self.remember(record);
        Ok(())
    }

    async fn save(&self, record: &Record) -> Result<()> {
        let (cached, only_expiry_moved) = {
            let mut records = self.lock();
            match records.get_mut(&record.id) {
                Some(cached)
                    if cached.record.data == record.data
                        && record.expiry_date >= cached.persisted_expiry
                        && record.expiry_date - cached.persisted_expiry < EXPIRY_WRITE_INTERVAL =>
                {
                    cached.record.expiry_date = record.expiry_date;
                    (true, true)
                }
                Some(_) => (true, false),
                None => (false, false),
            }
        };
        if only_expiry_moved {
            return Ok(());
        }
        // New sessions arrive through `create`; a save for a record that is gone comes from a
        // request that loaded it before a logout (or an end) deleted it, and must not bring the
        // session back.
        if !cached && self.store.load(&record.id).await?.is_none() {
            return Ok(());
        }
        self.store.save(record).await?;
        self.remember(record);
        Ok(())
    }

    async fn load(&self, id: &Id) -> Result<Option<Record>> {
        let hit = {
            let mut records = self.lock();
            match records.get(id) {
                Some(cached) if live(&cached.record) => Some(cached.record.clone()),
                Some(_) => {
                    records.remove(id);
                    None
                }
                None => None,
            }
        };
        if hit.is_some() {
            return Ok(hit);
        }
        let loaded = self.store.load(id).await?;
        if let Some(record) = &loaded {
            self.remember(record);
        }
        Ok(loaded)
    }

    async fn delete(&self, id: &Id) -> Result<()> {
        self.lock().remove(id);
        self.store.delete(id).await
    }
}

#[async_trait]
impl ExpiredDeletion for SessionCache {
    async fn delete_expired(&self) -> Result<()> {
        self.lock().retain(|_, cached| live(&cached.record));
        self.store
            .delete_expired()
            .await
            .map_err(|e| Error::Backend(e.to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    async fn cache() -> (tempfile::TempDir, SessionCache) {
        let dir = tempfile::tempdir().unwrap();
        let pool = crate::accounts::open(dir.path()).await.unwrap();
        let store = SqliteStore::new(pool);
        store.migrate().await.unwrap();
        (dir, SessionCache::new(store))
    }

    fn record(expiry: OffsetDateTime) -> Record {
        let mut data = HashMap::new();
        data.insert("operator".to_owned(), serde_json::json!({ "id": 1 }));
        Record {
            id: Id::default(),
            data,
            expiry_date: expiry,
        }
    }

    #[tokio::test]
    async fn reads_come_from_memory_and_match_the_database() {
        let (_dir, cache) = cache().await;
        let mut r = record(OffsetDateTime::now_utc() + Duration::minutes(30));
        cache.create(&mut r).await.unwrap();
        assert_eq!(cache.load(&r.id).await.unwrap(), Some(r.clone()));
        assert_eq!(cache.store.load(&r.id).await.unwrap(), Some(r.clone()));
        // A restarted console finds the session in SQLite.
        let fresh = SessionCache::new(cache.store.clone());
        assert_eq!(fresh.load(&r.id).await.unwrap(), Some(r));
    }

    #[tokio::test]
    async fn a_small_expiry_move_stays_in_memory_and_a_large_one_is_written() {
        let (_dir, cache) = cache().await;
        let start = OffsetDateTime::now_utc() + Duration::minutes(30);
        let mut r = record(start);
        cache.create(&mut r).await.unwrap();

        let mut moved = r.clone();
        moved.expiry_date = start + Duration::seconds(10);
        cache.save(&moved).await.unwrap();
        assert_eq!(cache.load(&r.id).await.unwrap(), Some(moved.clone()));
        let persisted = cache.store.load(&r.id).await.unwrap().unwrap();
        assert_eq!(persisted.expiry_date, start, "not written yet");

        moved.expiry_date = start + EXPIRY_WRITE_INTERVAL + Duration::seconds(1);
        cache.save(&moved).await.unwrap();
        let persisted = cache.store.load(&r.id).await.unwrap().unwrap();
        assert_eq!(persisted.expiry_date, moved.expiry_date);
    }

    #[tokio::test]
    async fn changed_data_and_deletion_are_written_at_once() {
        let (_dir, cache) = cache().await;
        let mut r = record(OffsetDateTime::now_utc() + Duration::minutes(30));
        cache.create(&mut r).await.unwrap();
        let mut changed = r.clone();
        changed
            .data
            .insert("other".to_owned(), serde_json::json!(true));
        cache.save(&changed).await.unwrap();
        assert_eq!(cache.store.load(&r.id).await.unwrap(), Some(changed));

        cache.delete(&r.id).await.unwrap();
        assert_eq!(cache.load(&r.id).await.unwrap(), None);
        assert_eq!(cache.store.load(&r.id).await.unwrap(), None);
        assert_eq!(cache.lock().len(), 0);
    }

    #[tokio::test]
    async fn a_request_that_ends_after_a_logout_does_not_bring_the_session_back() {
        let (_dir, cache) = cache().await;
        let mut r = record(OffsetDateTime::now_utc() + Duration::minutes(30));
        cache.create(&mut r).await.unwrap();
        let in_flight = cache.load(&r.id).await.unwrap().unwrap();
        cache.delete(&r.id).await.unwrap();
        cache.save(&in_flight).await.unwrap();
        assert_eq!(cache.load(&r.id).await.unwrap(), None);
        assert_eq!(cache.store.load(&r.id).await.unwrap(), None);
    }

    #[tokio::test]
    async fn an_expired_session_is_gone_from_memory_too() {
        let (_dir, cache) = cache().await;
        let mut ended = record(OffsetDateTime::now_utc() - Duration::seconds(1));
        cache.create(&mut ended).await.unwrap();
        assert_eq!(cache.lock().len(), 1);
        assert_eq!(cache.load(&ended.id).await.unwrap(), None);
        assert_eq!(cache.lock().len(), 0);

        let mut other = record(OffsetDateTime::now_utc() - Duration::seconds(1));
        cache.create(&mut other).await.unwrap();
        let mut live = record(OffsetDateTime::now_utc() + Duration::minutes(30));
        cache.create(&mut live).await.unwrap();
        cache.delete_expired().await.unwrap();
        assert_eq!(cache.lock().len(), 1, "only the live session stays");
        assert_eq!(cache.store.load(&other.id).await.unwrap(), None);
    }
}
