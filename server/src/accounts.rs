//! Operators, logins and the audit log, in SQLite under `CONSOLE_DATA_DIR`: the `app` crate's
//! [`Accounts`] port. Passwords are argon2id hashes; a login for an unknown name verifies
//! against a dummy hash, so it takes as long as a wrong password.

use app::api::access::{AuditEntry, AuditFilter, Me, OperatorInfo, Role};
use app::ports::{Accounts, BoxFuture, LoginOutcome, OperatorChange, StoreError};
use argon2::password_hash::{
    rand_core::OsRng, PasswordHash, PasswordHasher, PasswordVerifier, SaltString,
};
use argon2::Argon2;
use secrecy::{ExposeSecret, SecretString};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions};
use sqlx::{Row, SqlitePool};
use std::collections::HashMap;
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// Failed logins a name may have in [`FAILURE_WINDOW`] before it must wait.
pub const FAILURES_PER_NAME: u32 = 5;
/// Failed logins one client address may have in [`FAILURE_WINDOW`].
pub const FAILURES_PER_CLIENT: u32 = 20;
pub const FAILURE_WINDOW: Duration = Duration::from_secs(15 * 60);

const LAST_ADMIN: &str = "The console needs at least one enabled admin.";

/// The console's database.
pub async fn open(data_dir: &Path) -> Result<SqlitePool, sqlx::Error> {
    std::fs::create_dir_all(data_dir).map_err(sqlx::Error::Io)?;
    let options = SqliteConnectOptions::new()
        .filename(data_dir.join("console.db"))
        .create_if_missing(true)
        .journal_mode(SqliteJournalMode::Wal)
        .busy_timeout(Duration::from_secs(5));
    // The database is a local file: a pooled connection cannot go stale, so it is not pinged
    // before each use (a ping is a round trip to the connection's worker thread).
    let pool = SqlitePoolOptions::new()
        .max_connections(8)
        .test_before_acquire(false)
        .connect_with(options)
        .await?;
    sqlx::migrate!("./migrations").run(&pool).await?;
    Ok(pool)
}

fn store_error(e: impl std::fmt::Display) -> StoreError {
    StoreError(e.to_string())
}

fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0)
}

/// An argon2id hash (the crate's defaults: 19 MiB, 2 passes) in PHC form.
pub fn hash_password(password: &SecretString) -> Result<String, StoreError> {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.expose_secret().as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(store_error)
}

fn verify_password(password: &SecretString, hash: &str) -> bool {
    PasswordHash::new(hash).is_ok_and(|parsed| {
        Argon2::default()
            .verify_password(password.expose_secret().as_bytes(), &parsed)
            .is_ok()
    })
}

/// A password for the first admin when none is configured: 24 letters and digits.
pub fn generate_password() -> SecretString {
    use rand::distr::{Alphanumeric, SampleString};
    SecretString::from(Alphanumeric.sample_string(&mut rand::rng(), 24))
}

/// Failure counts per key (`client:…`, `name:…`) within a sliding window.
#[derive(Default)]
struct Limiter {
    failures: Mutex<HashMap<String, Vec<Instant>>>,
}

impl Limiter {
    /// Seconds to wait when any key is over its limit.
    fn check(&self, keys: &[(String, u32)]) -> Option<u64> {
        let mut map = self.failures.lock().unwrap_or_else(|e| e.into_inner());
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

    fn fail(&self, keys: &[(String, u32)]) {
        let mut map = self.failures.lock().unwrap_or_else(|e| e.into_inner());
        for (key, _) in keys {
            map.entry(key.clone()).or_default().push(Instant::now());
        }
    }

    fn clear(&self, key: &str) {
        self.failures
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .remove(key);
    }
}

/// Password hashes computed at once: each takes 19 MiB and a core's worth of time, so a flood
/// of logins queues here instead of exhausting memory.
const CONCURRENT_HASHES: usize = 4;

/// The SQLite-backed accounts store.
pub struct Store {
    pool: SqlitePool,
    dummy_hash: String,
    limiter: Limiter,
    hashing: tokio::sync::Semaphore,
    seen: OperatorCache,
}

/// How long an enabled operator's name and role, read for a request, serve later requests. A
/// change made in the console applies at once; one made with `server user` from another
/// process applies within this long.
pub const OPERATOR_CACHE_TTL: Duration = Duration::from_secs(2);

/// Enabled operators by id, with when each was read. `generation` counts the changes made in
/// the console: a read that began before a change does not store what it read.
#[derive(Default)]
struct OperatorCache(std::sync::Mutex<SeenOperators>);

#[derive(Default)]
struct SeenOperators {
    generation: u64,
    by_id: HashMap<i64, (Instant, Me)>,
}

impl OperatorCache {
    fn lock(&self) -> std::sync::MutexGuard<'_, SeenOperators> {
        self.0.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// The operator if read recently, else the generation to pass to [`OperatorCache::put`].
    fn get(&self, id: i64) -> Result<Me, u64> {
        let seen = self.lock();
        match seen.by_id.get(&id) {
            Some((at, me)) if at.elapsed() < OPERATOR_CACHE_TTL => Ok(me.clone()),
            _ => Err(seen.generation),
        }
    }

    fn put(&self, id: i64, me: &Me, generation: u64) {
        let mut seen = self.lock();
        if seen.generation != generation {
            return;
        }
        seen.by_id
            .retain(|_, (at, _)| at.elapsed() < OPERATOR_CACHE_TTL);
        seen.by_id.insert(id, (Instant::now(), me.clone()));
    }

    fn clear(&self) {
        let mut seen = self.lock();
        seen.generation += 1;
        seen.by_id.clear();
    }
}

impl Store {
    pub fn new(pool: SqlitePool) -> Result<Store, StoreError> {
        Ok(Store {
            pool,
            dummy_hash: hash_password(&generate_password())?,
            limiter: Limiter::default(),
            hashing: tokio::sync::Semaphore::new(CONCURRENT_HASHES),
            seen: OperatorCache::default(),
        })
    }

    pub fn pool(&self) -> &SqlitePool {
        &self.pool
    }

    /// On a database without operators, creates `admin` with `password`, or with a generated
    /// one, which is returned so the caller can show it once.
    pub async fn ensure_admin(
        &self,
        password: Option<&SecretString>,
    ) -> Result<Option<SecretString>, StoreError> {
        let count: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM operators")
            .fetch_one(&self.pool)
            .await
            .map_err(store_error)?;
        if count > 0 {
            return Ok(None);
        }
        let generated = password.is_none().then(generate_password);
        let password = password
            .or(generated.as_ref())
            .cloned()
            .unwrap_or_else(generate_password);
        self.insert("admin", Role::Admin, &password).await?;
        self.write_audit(&AuditEntry {
            at_ms: now_ms(),
            operator: "console".into(),
            action: "add operator".into(),
            target: "admin".into(),
            outcome: "ok".into(),
            dis_code: None,
            request_id: "start-up".into(),
        })
        .await?;
        Ok(generated)
    }

    async fn insert(
        &self,
        name: &str,
        role: Role,
        password: &SecretString,
    ) -> Result<bool, StoreError> {
        let hash = self.hash(password.clone()).await?;
        let now = now_ms();
        let done = sqlx::query(
            "INSERT INTO operators (name, password_hash, role, disabled, created_ms, updated_ms) \
             VALUES (?, ?, ?, 0, ?, ?) ON CONFLICT (name) DO NOTHING",
        )
        .bind(name)
        .bind(hash)
        .bind(role.as_str())
        .bind(now)
        .bind(now)
        .execute(&self.pool)
        .await
        .map_err(store_error)?;
        Ok(done.rows_affected() == 1)
    }

    /// Hashes off the async threads, a few at a time.
    async fn hash(&self, password: SecretString) -> Result<String, StoreError> {
        let _turn = self.hashing.acquire().await.map_err(store_error)?;
        tokio::task::spawn_blocking(move || hash_password(&password))
            .await
            .map_err(store_error)?
    }

    async fn write_audit(&self, e: &AuditEntry) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO audit (at_ms, operator, action, target, outcome, dis_code, request_id) \
             VALUES (?, ?, ?, ?, ?, ?, ?)",
        )
        .bind(e.at_ms)
        .bind(&e.operator)
        .bind(&e.action)
        .bind(&e.target)
        .bind(&e.outcome)
        .bind(&e.dis_code)
        .bind(&e.request_id)
        .execute(&self.pool)
        .await
        .map_err(store_error)?;
        Ok(())
    }

    async fn enabled_admins(&self) -> Result<i64, StoreError> {
        sqlx::query_scalar("SELECT COUNT(*) FROM operators WHERE role = 'admin' AND disabled = 0")
            .fetch_one(&self.pool)
            .await
            .map_err(store_error)
    }

    async fn apply(
        &self,
        name: &str,
        change: OperatorChange,
    ) -> Result<Result<(), String>, StoreError> {
        let row = sqlx::query("SELECT role, disabled FROM operators WHERE name = ?")
            .bind(name)
            .fetch_optional(&self.pool)
            .await
            .map_err(store_error)?;
        let existing = row.map(|r| {
            let role: String = r.get("role");
            let disabled: bool = r.get("disabled");
            (Role::parse(&role).unwrap_or(Role::Viewer), disabled)
        });
        match (change, existing) {
            (
                OperatorChange::Add {
                    name,
                    role,
                    password,
                },
                None,
            ) => {
                if self.insert(&name, role, &password).await? {
                    Ok(Ok(()))
                } else {
                    Ok(Err(format!("An operator named {name} already exists.")))
                }
            }
            (OperatorChange::Add { name, .. }, Some(_)) => {
                Ok(Err(format!("An operator named {name} already exists.")))
            }
            (_, None) => Ok(Err(format!("There is no operator named {name}."))),
            (OperatorChange::SetRole(role), Some((current, disabled))) => {
                let demotes = current == Role::Admin && role != Role::Admin && !disabled;
                if demotes && self.enabled_admins().await? <= 1 {
                    return Ok(Err(LAST_ADMIN.into()));
                }
                self.update(name, "role", role.as_str().to_owned()).await?;
                Ok(Ok(()))
            }
            (OperatorChange::SetDisabled(disable), Some((current, disabled))) => {
                let removes = disable && current == Role::Admin && !disabled;
                if removes && self.enabled_admins().await? <= 1 {
                    return Ok(Err(LAST_ADMIN.into()));
                }
                self.update(name, "disabled", disable).await?;
                Ok(Ok(()))
            }
            (OperatorChange::SetPassword(password), Some(_)) => {
                let hash = self.hash(password).await?;
                self.update(name, "password_hash", hash).await?;
                Ok(Ok(()))
            }
        }
    }

    /// Sets one column of an operator's row. `column` is always one of this file's literals.
    async fn update<T>(&self, name: &str, column: &'static str, value: T) -> Result<(), StoreError>
    where
        T: for<'q> sqlx::Encode<'q, sqlx::Sqlite> + sqlx::Type<sqlx::Sqlite> + Send,
    {
        let sql = format!("UPDATE operators SET {column} = ?, updated_ms = ? WHERE name = ?");
        let done = sqlx::query(&sql)
            .bind(value)
            .bind(now_ms())
            .bind(name)
            .execute(&self.pool)
            .await
            .map_err(store_error);
        self.seen.clear();
        done.map(drop)
    }

    async fn check_login(
        &self,
        name: &str,
        password: &SecretString,
        client: &str,
    ) -> Result<LoginOutcome, StoreError> {
        let keys = [
            (format!("client:{client}"), FAILURES_PER_CLIENT),
            (format!("name:{name}"), FAILURES_PER_NAME),
        ];
        if let Some(retry_after_secs) = self.limiter.check(&keys) {
            return Ok(LoginOutcome::Throttled { retry_after_secs });
        }
        let row =
            sqlx::query("SELECT id, password_hash, role, disabled FROM operators WHERE name = ?")
                .bind(name)
                .fetch_optional(&self.pool)
                .await
                .map_err(store_error)?;
        let (id, hash, role, disabled) = match &row {
            Some(r) => (
                r.get::<i64, _>("id"),
                r.get::<String, _>("password_hash"),
                r.get::<String, _>("role"),
                r.get::<bool, _>("disabled"),
            ),
            // The same work as a real check, so the answer's timing says nothing.
            None => (0, self.dummy_hash.clone(), String::new(), true),
        };
        let matches = {
            let _turn = self.hashing.acquire().await.map_err(store_error)?;
            let password = password.clone();
            tokio::task::spawn_blocking(move || verify_password(&password, &hash))
                .await
                .map_err(store_error)?
        };
        match Role::parse(&role) {
            Ok(role) if matches && !disabled && row.is_some() => {
                self.limiter.clear(&keys[1].0);
                Ok(LoginOutcome::Accepted {
                    id,
                    me: Me {
                        name: name.to_owned(),
                        role,
                    },
                })
            }
            _ => {
                self.limiter.fail(&keys);
                Ok(LoginOutcome::Refused)
            }
        }
    }

    async fn list_audit(&self, f: &AuditFilter, limit: u32) -> Result<Vec<AuditEntry>, StoreError> {
        let before = if f.before_ms > 0 {
            f.before_ms
        } else {
            i64::MAX
        };
        let rows = sqlx::query(
            "SELECT at_ms, operator, action, target, outcome, dis_code, request_id FROM audit \
             WHERE at_ms < ? AND (? = '' OR operator = ?) AND (? = '' OR action = ?) \
             AND (? = '' OR outcome = ?) ORDER BY at_ms DESC, id DESC LIMIT ?",
        )
        .bind(before)
        .bind(f.operator.trim())
        .bind(f.operator.trim())
        .bind(f.action.trim())
        .bind(f.action.trim())
        .bind(f.outcome.trim())
        .bind(f.outcome.trim())
        .bind(i64::from(limit))
        .fetch_all(&self.pool)
        .await
        .map_err(store_error)?;
        Ok(rows
            .into_iter()
            .map(|r| AuditEntry {
                at_ms: r.get("at_ms"),
                operator: r.get("operator"),
                action: r.get("action"),
                target: r.get("target"),
                outcome: r.get("outcome"),
                dis_code: r.get("dis_code"),
                request_id: r.get("request_id"),
            })
            .collect())
    }
}

impl Accounts for Store {
    fn login<'a>(
        &'a self,
        name: &'a str,
        password: &'a SecretString,
        client: &'a str,
    ) -> BoxFuture<'a, Result<LoginOutcome, StoreError>> {
        Box::pin(self.check_login(name, password, client))
    }

    fn operator(&self, id: i64) -> BoxFuture<'_, Result<Option<Me>, StoreError>> {
        Box::pin(async move {
            let generation = match self.seen.get(id) {
                Ok(me) => return Ok(Some(me)),
                Err(generation) => generation,
            };
            let row = sqlx::query("SELECT name, role FROM operators WHERE id = ? AND disabled = 0")
                .bind(id)
                .fetch_optional(&self.pool)
                .await
                .map_err(store_error)?;
            let me = row.and_then(|r| {
                let role: String = r.get("role");
                Some(Me {
                    name: r.get("name"),
                    role: Role::parse(&role).ok()?,
                })
            });
            if let Some(me) = &me {
                self.seen.put(id, me, generation);
            }
            Ok(me)
        })
    }

    fn operators(&self) -> BoxFuture<'_, Result<Vec<OperatorInfo>, StoreError>> {
        Box::pin(async move {
            let rows =
                sqlx::query("SELECT name, role, disabled, created_ms FROM operators ORDER BY name")
                    .fetch_all(&self.pool)
                    .await
                    .map_err(store_error)?;
            Ok(rows
                .into_iter()
                .map(|r| OperatorInfo {
                    name: r.get("name"),
                    role: Role::parse(&r.get::<String, _>("role")).unwrap_or(Role::Viewer),
                    disabled: r.get("disabled"),
                    created_ms: r.get("created_ms"),
                })
                .collect())
        })
    }

    fn change_operator<'a>(
        &'a self,
        name: &'a str,
        change: OperatorChange,
    ) -> BoxFuture<'a, Result<Result<(), String>, StoreError>> {
        Box::pin(self.apply(name, change))
    }

    fn record(&self, entry: AuditEntry) -> BoxFuture<'_, Result<(), StoreError>> {
        Box::pin(async move { self.write_audit(&entry).await })
    }

    fn audit<'a>(
        &'a self,
        filter: &'a AuditFilter,
        limit: u32,
    ) -> BoxFuture<'a, Result<Vec<AuditEntry>, StoreError>> {
        Box::pin(self.list_audit(filter, limit))
    }
}

/// The console's database, ready: migrations applied, the session table there, the first admin
/// created when there was no operator.
pub struct Opened {
    pub store: Arc<Store>,
    pub sessions: crate::sessions::SessionCache,
    /// The first admin's generated password, to show once.
    pub generated_admin_password: Option<SecretString>,
}

pub async fn open_all(
    data_dir: &Path,
    admin_password: Option<&SecretString>,
) -> Result<Opened, StoreError> {
    let pool = open(data_dir).await.map_err(store_error)?;
    let sessions = tower_sessions_sqlx_store::SqliteStore::new(pool.clone());
    sessions.migrate().await.map_err(store_error)?;
    let sessions = crate::sessions::SessionCache::new(sessions);
    let store = Arc::new(Store::new(pool)?);
    let generated_admin_password = store.ensure_admin(admin_password).await?;
    Ok(Opened {
        store,
        sessions,
        generated_admin_password,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    async fn store() -> (tempfile::TempDir, Store) {
        let dir = tempfile::tempdir().unwrap();
        let pool = open(dir.path()).await.unwrap();
        (dir, Store::new(pool).unwrap())
    }

    #[tokio::test]
    async fn the_first_admin_logs_in_and_failures_are_throttled_per_name() {
        let (_dir, store) = store().await;
        let generated = store
            .ensure_admin(None)
            .await
            .unwrap()
            .expect("a generated password");
        assert_eq!(generated.expose_secret().len(), 24);
        assert!(
            store.ensure_admin(None).await.unwrap().is_none(),
            "only once"
        );
        let ok = store.login("admin", &generated, "10.0.0.1").await.unwrap();
        assert!(matches!(
            ok,
            LoginOutcome::Accepted {
                me: Me {
                    role: Role::Admin,
                    ..
                },
                ..
            }
        ));

        let wrong = SecretString::from("not the password");
        for _ in 0..FAILURES_PER_NAME {
            assert_eq!(
                store.login("admin", &wrong, "10.0.0.2").await.unwrap(),
                LoginOutcome::Refused
            );
        }
        // Now even the right password waits, from any client.
        match store.login("admin", &generated, "10.0.0.3").await.unwrap() {
            LoginOutcome::Throttled { retry_after_secs } => {
                assert!((1..=FAILURE_WINDOW.as_secs()).contains(&retry_after_secs))
            }
            other => panic!("{other:?}"),
        }
        // Unknown names are refused the same way.
        assert_eq!(
            store.login("nobody", &wrong, "10.0.0.4").await.unwrap(),
            LoginOutcome::Refused
        );
    }

    #[tokio::test]
    async fn the_last_admin_stays_and_disabled_operators_cannot_log_in() {
        let (_dir, store) = store().await;
        let pw = SecretString::from("a long enough password");
        store.ensure_admin(Some(&pw)).await.unwrap();
        assert!(store
            .apply("admin", OperatorChange::SetDisabled(true))
            .await
            .unwrap()
            .is_err());
        assert!(store
            .apply("admin", OperatorChange::SetRole(Role::Viewer))
            .await
            .unwrap()
            .is_err());
        store
            .apply(
                "",
                OperatorChange::Add {
                    name: "ann".into(),
                    role: Role::Viewer,
                    password: pw.clone(),
                },
            )
            .await
            .unwrap()
            .unwrap();
        assert!(store
            .apply(
                "",
                OperatorChange::Add {
                    name: "ann".into(),
                    role: Role::Admin,
                    password: pw.clone()
                }
            )
            .await
            .unwrap()
            .unwrap_err()
            .contains("already exists"));
        store
            .apply("ann", OperatorChange::SetDisabled(true))
            .await
            .unwrap()
            .unwrap();
        assert_eq!(
            store.login("ann", &pw, "c").await.unwrap(),
            LoginOutcome::Refused
        );
        let stored: String =
            sqlx::query_scalar("SELECT password_hash FROM operators WHERE name = 'ann'")
                .fetch_one(store.pool())
                .await
                .unwrap();
        assert!(stored.starts_with("$argon2id$"), "{stored}");
    }

    #[test]
    fn a_read_that_began_before_a_change_is_not_kept() {
        let cache = OperatorCache::default();
        let me = Me {
            name: "ann".into(),
            role: Role::Admin,
        };
        let before = cache.get(1).unwrap_err();
        cache.clear();
        cache.put(1, &me, before);
        assert!(cache.get(1).is_err(), "stale read kept");
        let now = cache.get(1).unwrap_err();
        cache.put(1, &me, now);
        assert_eq!(cache.get(1).unwrap(), me);
    }

    #[tokio::test]
    async fn a_change_made_in_the_console_reaches_the_next_request_at_once() {
        let (_dir, store) = store().await;
        let pw = SecretString::from("a long enough password");
        store.ensure_admin(Some(&pw)).await.unwrap();
        let add = OperatorChange::Add {
            name: "ann".into(),
            role: Role::Operator,
            password: pw,
        };
        store.apply("", add).await.unwrap().unwrap();
        let id: i64 = sqlx::query_scalar("SELECT id FROM operators WHERE name = 'ann'")
            .fetch_one(store.pool())
            .await
            .unwrap();
        let ann = store.operator(id).await.unwrap().unwrap();
        assert_eq!(ann.role, Role::Operator);

        let viewer = OperatorChange::SetRole(Role::Viewer);
        store.apply("ann", viewer).await.unwrap().unwrap();
        assert_eq!(
            store.operator(id).await.unwrap().unwrap().role,
            Role::Viewer
        );
        let disable = OperatorChange::SetDisabled(true);
        store.apply("ann", disable).await.unwrap().unwrap();
        assert_eq!(store.operator(id).await.unwrap(), None);
    }
}
