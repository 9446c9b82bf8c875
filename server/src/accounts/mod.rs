//! Operators, logins and the audit log, in SQLite under `CONSOLE_DATA_DIR`: the `app` crate's
//! `Accounts` port.
//!
//! - [`store`]: the SQLite store and its typed rows.
//! - [`password`]: argon2id hashing; a login for an unknown name verifies against a dummy hash,
//!   so it takes as long as a wrong password.
//! - [`limiter`]: failed logins per name and per client address.
//! - [`cache`]: recently read operators, for the session check of every request.
//! - [`schema`]: the migrations, and the refusal of a database a newer console wrote.
//! - [`lock`]: one console per data directory.
//! - [`backup`]: `server backup` and `server restore`.

pub mod backup;
pub mod cache;
pub mod limiter;
pub mod lock;
pub mod password;
pub mod schema;
pub mod store;

pub use store::Store;

use app::ports::StoreError;
use secrecy::SecretString;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions};
use sqlx::SqlitePool;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

/// The database file in the data directory.
pub const DATABASE: &str = "console.db";

/// Creates `dir` (and what is missing above it) readable by its owner only: it holds password
/// hashes and sessions.
pub fn create_private_dir(dir: &Path) -> std::io::Result<()> {
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder.create(dir)
}

/// What others may do with `path`, when they may do anything: `Some("readable by others")`.
pub fn exposure(path: &Path) -> Option<&'static str> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(path).ok()?.permissions().mode();
        match (mode & 0o044 != 0, mode & 0o022 != 0) {
            (_, true) => Some("writable by other users"),
            (true, false) => Some("readable by other users"),
            (false, false) => None,
        }
    }
    #[cfg(not(unix))]
    {
        let _ = path;
        None
    }
}

/// The console's database. A new data directory is created 0700 and a new database 0600 (SQLite
/// gives its WAL and shared-memory files the database's mode); an existing one that others can
/// read is reported in the log, since it holds password hashes and sessions. A database that a
/// newer console wrote is refused, naming both versions; an older one is migrated forward.
pub async fn open(data_dir: &Path) -> Result<SqlitePool, StoreError> {
    create_private_dir(data_dir).map_err(store::fault)?;
    let file = data_dir.join(DATABASE);
    if !file.exists() {
        let mut new = std::fs::OpenOptions::new();
        new.write(true).create_new(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut new, 0o600);
        match new.open(&file) {
            Ok(_) => {}
            // Another process created it between the check and here: use theirs.
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {}
            Err(e) => return Err(store::fault(e)),
        }
    }
    for (what, path) in [
        ("data directory", data_dir.to_path_buf()),
        ("database", file.clone()),
    ] {
        if let Some(exposed) = exposure(&path) {
            tracing::warn!(
                path = %path.display(),
                "the console's {what} is {exposed}: it holds password hashes and sessions; \
                 chmod it to 0700 (directory) or 0600 (files)"
            );
        }
    }
    let options = SqliteConnectOptions::new()
        .filename(&file)
        .create_if_missing(true)
        .journal_mode(SqliteJournalMode::Wal)
        .busy_timeout(Duration::from_secs(5));
    // The database is a local file: a pooled connection cannot go stale, so it is not pinged
    // before each use (a ping is a round trip to the connection's worker thread).
    let pool = SqlitePoolOptions::new()
        .max_connections(8)
        .test_before_acquire(false)
        .connect_with(options)
        .await
        .map_err(store::fault)?;
    if let Some(applied) = schema::applied(&pool).await.map_err(store::fault)? {
        schema::check_ours(&applied)
            .map_err(|problem| StoreError(format!("{}: {problem}", file.display())))?;
    } else if !schema::is_empty(&pool).await.map_err(store::fault)? {
        return Err(StoreError(format!(
            "{}: {}",
            file.display(),
            schema::SchemaProblem::Foreign
        )));
    }
    schema::MIGRATOR.run(&pool).await.map_err(store::fault)?;
    schema::record_writer(&pool).await.map_err(store::fault)?;
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
    let pool = open(data_dir).await?;
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

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    fn mode(path: &Path) -> u32 {
        std::fs::metadata(path).unwrap().permissions().mode() & 0o777
    }

    #[tokio::test]
    async fn a_new_database_is_its_owner_s_alone() {
        let parent = tempfile::tempdir().unwrap();
        let dir = parent.path().join("data");
        let opened = open_all(&dir, None).await.unwrap();
        // A write, so the WAL and shared-memory files exist.
        sqlx::query(
            "INSERT INTO audit (at_ms, operator, action, target, outcome, request_id) \
                     VALUES (0, 'o', 'login', 't', 'ok', 'r')",
        )
        .execute(opened.store.pool())
        .await
        .unwrap();
        assert_eq!(mode(&dir), 0o700);
        for file in ["console.db", "console.db-wal", "console.db-shm"] {
            assert_eq!(mode(&dir.join(file)), 0o600, "{file}");
        }
        assert_eq!(exposure(&dir.join("console.db")), None);
    }

    #[test]
    fn an_exposed_file_is_named_for_what_others_may_do() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("console.db");
        std::fs::write(&file, b"").unwrap();
        for (bits, expected) in [
            (0o644, Some("readable by other users")),
            (0o664, Some("writable by other users")),
            (0o600, None),
        ] {
            std::fs::set_permissions(&file, std::fs::Permissions::from_mode(bits)).unwrap();
            assert_eq!(exposure(&file), expected, "{bits:o}");
        }
    }
}
