//! Operators, logins and the audit log, in SQLite under `CONSOLE_DATA_DIR`: the `app` crate's
//! `Accounts` port.
//!
//! - [`store`]: the SQLite store and its typed rows.
//! - [`password`]: argon2id hashing; a login for an unknown name verifies against a dummy hash,
//!   so it takes as long as a wrong password.
//! - [`limiter`]: failed logins per name and per client address.
//! - [`cache`]: recently read operators, for the session check of every request.

pub mod cache;
pub mod limiter;
pub mod password;
pub mod store;

pub use store::Store;

use app::ports::StoreError;
use secrecy::SecretString;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions};
use sqlx::SqlitePool;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

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

/// The console's database, ready: migrations applied, the session table there, the first admin
/// created when there was no operator.
pub struct Opened {
    pub store: Arc<Store>,
    pub sessions: crate::http::sessions::SessionCache,
    /// The first admin's generated password, to show once.
    pub generated_admin_password: Option<SecretString>,
}

pub async fn open_all(
    data_dir: &Path,
    admin_password: Option<&SecretString>,
) -> Result<Opened, StoreError> {
    let pool = open(data_dir).await.map_err(store::fault)?;
    let sessions = tower_sessions_sqlx_store::SqliteStore::new(pool.clone());
    sessions.migrate().await.map_err(store::fault)?;
    let sessions = crate::http::sessions::SessionCache::new(sessions);
    let store = Arc::new(Store::new(pool)?);
    let generated_admin_password = store.ensure_admin(admin_password).await?;
    Ok(Opened {
        store,
        sessions,
        generated_admin_password,
    })
}
