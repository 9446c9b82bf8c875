//! `server backup FILE` and `server restore FILE`: the console's state (operators, the audit
//! log, sessions) is one SQLite file, `console.db`.
//!
//! - A backup is SQLite's `VACUUM INTO`, which reads one consistent snapshot inside a read
//!   transaction: a running console keeps writing meanwhile (the database is in WAL mode, so a
//!   reader blocks no writer), and the copy holds everything committed before the backup
//!   began. It is written under `FILE.partial` and linked to `FILE` only when complete and
//!   checked, so an interrupted backup never leaves a file that looks finished, and an existing
//!   file is never overwritten.
//! - A restore refuses while a console holds the data directory ([`super::lock`]). It copies the
//!   file in, checks it is an intact console database of a schema this binary knows (an older
//!   one is upgraded at the next start), ends its sessions (a session deleted at logout after
//!   the backup must not come back), and only then swaps it in. The database it replaces is
//!   kept beside it as `console.db.before-restore-<time>` (with its `-wal`, so SQLite still
//!   pairs them).
//!
//! The embedded DIS backend's files under `dis/` are demo data, not part of a backup.

use super::{lock, schema, DATABASE};
use sqlx::sqlite::{SqliteConnectOptions, SqlitePoolOptions};
use sqlx::SqlitePool;
use std::path::{Path, PathBuf};
use std::time::Duration;

/// Why a backup or restore did not happen.
#[derive(Debug, thiserror::Error)]
pub enum CopyError {
    /// Something the operator can fix: a file that exists, a console still running, a file
    /// that is not a console database.
    #[error("{0}")]
    Refused(String),
    /// The machine: a disk that fails, a database that cannot be read.
    #[error("{0}")]
    Failed(String),
}

/// What a console database holds, as a backup or restore reports it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Summary {
    pub schema: i64,
    pub operators: i64,
    pub audit_lines: i64,
    pub sessions: i64,
    pub bytes: u64,
}

impl std::fmt::Display for Summary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "schema version {}, {} operator{}, {} audit line{}, {} session{}, {} bytes",
            self.schema,
            self.operators,
            plural(self.operators),
            self.audit_lines,
            plural(self.audit_lines),
            self.sessions,
            plural(self.sessions),
            self.bytes
        )
    }
}

fn plural(n: i64) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

/// What a restore did.
#[derive(Debug)]
pub struct Restored {
    pub summary: Summary,
    /// Where the database it replaced now is, when there was one.
    pub replaced: Option<PathBuf>,
}

fn failed<'a>(what: &'a str, path: &'a Path) -> impl Fn(std::io::Error) -> CopyError + 'a {
    move |e| CopyError::Failed(format!("cannot {what} {}: {e}", path.display()))
}

/// One connection to the SQLite file at `path`, which must exist.
async fn connect(path: &Path) -> Result<SqlitePool, sqlx::Error> {
    let options = SqliteConnectOptions::new()
        .filename(path)
        .create_if_missing(false)
        .busy_timeout(Duration::from_secs(10));
    SqlitePoolOptions::new()
        .max_connections(1)
        .connect_with(options)
        .await
}

/// Refuses what is not an intact console database of a schema this binary knows.
async fn check_console_database(pool: &SqlitePool, name: &Path) -> Result<(), CopyError> {
    let refused = |why: String| CopyError::Refused(format!("{}: {why}", name.display()));
    let verdict: String = sqlx::query_scalar("PRAGMA integrity_check(1)")
        .fetch_one(pool)
        .await
        .map_err(|e| refused(format!("not a readable SQLite database ({e})")))?;
    if verdict != "ok" {
        return Err(refused(format!("the database is damaged: {verdict}")));
    }
    match schema::applied(pool).await {
        Ok(Some(applied)) => schema::check_ours(&applied).map_err(|p| refused(p.to_string())),
        Ok(None) => Err(refused(schema::SchemaProblem::Foreign.to_string())),
        Err(e) => Err(refused(format!("cannot read its schema ({e})"))),
    }
}

async fn count(pool: &SqlitePool, table: &str) -> Result<i64, sqlx::Error> {
    if !schema::has_table(pool, table).await? {
        return Ok(0);
    }
    // `table` is one of the names below, never input.
    sqlx::query_scalar(&format!("SELECT COUNT(*) FROM {table}"))
        .fetch_one(pool)
        .await
}

/// The session store's table.
const SESSIONS: &str = "tower_sessions";

async fn summarise(pool: &SqlitePool, file: &Path) -> Result<Summary, CopyError> {
    let read = |e: sqlx::Error| CopyError::Failed(format!("cannot read {}: {e}", file.display()));
    let applied = schema::applied(pool).await.map_err(read)?;
    Ok(Summary {
        schema: applied.map(|a| a.version()).unwrap_or(0),
        operators: count(pool, "operators").await.map_err(read)?,
        audit_lines: count(pool, "audit").await.map_err(read)?,
        sessions: count(pool, SESSIONS).await.map_err(read)?,
        bytes: std::fs::metadata(file).map(|m| m.len()).unwrap_or(0),
    })
}

/// Makes a rename or link in `dir` durable.
fn sync_dir(dir: &Path) -> std::io::Result<()> {
    #[cfg(unix)]
    std::fs::File::open(dir)?.sync_all()?;
    let _ = dir;
    Ok(())
}

fn parent(path: &Path) -> &Path {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    }
}

/// `server backup`: a consistent copy of `data_dir`'s database at `dest`, which must not exist.
pub async fn backup(data_dir: &Path, dest: &Path) -> Result<Summary, CopyError> {
    let source = data_dir.join(DATABASE);
    if !source.is_file() {
        return Err(CopyError::Refused(format!(
            "there is no console database at {}: check CONSOLE_DATA_DIR",
            source.display()
        )));
    }
    if dest.exists() {
        return Err(CopyError::Refused(format!(
            "{} exists: a backup never overwrites a file; choose a new name",
            dest.display()
        )));
    }
    let Some(dest_text) = dest.to_str() else {
        return Err(CopyError::Refused(format!(
            "{}: the backup's path must be UTF-8",
            dest.display()
        )));
    };
    let partial = PathBuf::from(format!("{dest_text}.partial"));
    // An empty file, the owner's alone, which VACUUM INTO fills; create_new refuses a partial
    // file another backup is writing.
    let mut new = std::fs::OpenOptions::new();
    new.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut new, 0o600);
    new.open(&partial).map_err(|e| match e.kind() {
        std::io::ErrorKind::AlreadyExists => CopyError::Refused(format!(
            "{} exists: another backup is writing it, or one was interrupted; remove it",
            partial.display()
        )),
        _ => CopyError::Failed(format!("cannot create {}: {e}", partial.display())),
    })?;
    let written = write_backup(&source, &partial, dest).await;
    if written.is_err() {
        let _ = std::fs::remove_file(&partial);
    }
    written
}

async fn write_backup(source: &Path, partial: &Path, dest: &Path) -> Result<Summary, CopyError> {
    let pool = connect(source)
        .await
        .map_err(|e| CopyError::Failed(format!("cannot open {}: {e}", source.display())))?;
    if schema::applied(&pool)
        .await
        .map_err(|e| CopyError::Failed(format!("cannot read {}: {e}", source.display())))?
        .is_none()
    {
        return Err(CopyError::Refused(format!(
            "{}: {}",
            source.display(),
            schema::SchemaProblem::Foreign
        )));
    }
    sqlx::query("VACUUM INTO ?")
        .bind(partial.to_str().unwrap_or_default())
        .execute(&pool)
        .await
        .map_err(|e| CopyError::Failed(format!("cannot copy {}: {e}", source.display())))?;
    pool.close().await;

    let copy = connect(partial)
        .await
        .map_err(|e| CopyError::Failed(format!("cannot open {}: {e}", partial.display())))?;
    check_console_database(&copy, partial).await?;
    let summary = summarise(&copy, partial).await?;
    copy.close().await;
    std::fs::File::open(partial)
        .and_then(|f| f.sync_all())
        .map_err(failed("write", partial))?;
    // A link, unlike a rename, fails when `dest` appeared meanwhile.
    std::fs::hard_link(partial, dest).map_err(|e| match e.kind() {
        std::io::ErrorKind::AlreadyExists => CopyError::Refused(format!(
            "{} appeared while the backup ran: choose a new name",
            dest.display()
        )),
        _ => CopyError::Failed(format!("cannot write {}: {e}", dest.display())),
    })?;
    std::fs::remove_file(partial).map_err(failed("remove", partial))?;
    sync_dir(parent(dest)).map_err(failed("write", dest))?;
    Ok(summary)
}

/// `server restore`: replaces `data_dir`'s database with the backup at `source`.
pub async fn restore(data_dir: &Path, source: &Path) -> Result<Restored, CopyError> {
    if !source.is_file() {
        return Err(CopyError::Refused(format!(
            "{}: no such file",
            source.display()
        )));
    }
    super::create_private_dir(data_dir).map_err(failed("create", data_dir))?;
    let _lock = lock::acquire(data_dir).map_err(|e| match e {
        lock::LockError::Held { .. } => CopyError::Refused(e.to_string()),
        lock::LockError::Io { .. } => CopyError::Failed(e.to_string()),
    })?;
    let staging = data_dir.join(format!("{DATABASE}.restoring"));
    // Left by an interrupted restore: the lock says no one else is writing it.
    for leftover in ["", "-wal", "-shm", "-journal"] {
        let _ = std::fs::remove_file(format!("{}{leftover}", staging.display()));
    }
    std::fs::copy(source, &staging).map_err(failed("copy", source))?;
    let prepared = prepare(source, &staging).await;
    let summary = match prepared {
        Ok(summary) => summary,
        Err(e) => {
            let _ = std::fs::remove_file(&staging);
            return Err(e);
        }
    };

    let database = data_dir.join(DATABASE);
    let replaced = database.exists().then(|| {
        let stamp = chrono::Utc::now().format("%Y%m%dT%H%M%SZ");
        data_dir.join(format!("{DATABASE}.before-restore-{stamp}"))
    });
    if let Some(aside) = &replaced {
        // The WAL may hold the newest changes: it moves with its database, under the name
        // SQLite looks for beside the new one.
        for suffix in ["", "-wal", "-shm"] {
            let from = PathBuf::from(format!("{}{suffix}", database.display()));
            if from.exists() {
                let to = PathBuf::from(format!("{}{suffix}", aside.display()));
                std::fs::rename(&from, &to).map_err(failed("move aside", &from))?;
            }
        }
    }
    std::fs::rename(&staging, &database).map_err(failed("move into place", &staging))?;
    sync_dir(data_dir).map_err(failed("write", data_dir))?;
    Ok(Restored { summary, replaced })
}

/// Checks the copy at `staging`, ends its sessions and leaves it a single file.
async fn prepare(source: &Path, staging: &Path) -> Result<Summary, CopyError> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(staging, std::fs::Permissions::from_mode(0o600))
            .map_err(failed("protect", staging))?;
    }
    let pool = connect(staging).await.map_err(|e| {
        CopyError::Refused(format!(
            "{}: not a readable SQLite database ({e})",
            source.display()
        ))
    })?;
    check_console_database(&pool, source).await?;
    let write =
        |e: sqlx::Error| CopyError::Failed(format!("cannot prepare {}: {e}", staging.display()));
    if count(&pool, SESSIONS).await.map_err(write)? > 0 {
        sqlx::query(&format!("DELETE FROM {SESSIONS}"))
            .execute(&pool)
            .await
            .map_err(write)?;
    }
    // Back to a rollback journal, so the file holds everything by itself; the console turns
    // WAL on again when it opens it.
    sqlx::query("PRAGMA journal_mode = DELETE")
        .execute(&pool)
        .await
        .map_err(write)?;
    let summary = summarise(&pool, staging).await?;
    pool.close().await;
    Ok(summary)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::accounts::open_all;
    use app::ports::{Accounts, LoginOutcome};
    use secrecy::SecretString;

    const PASSWORD: &str = "the admin's password";

    async fn console(dir: &Path) -> crate::accounts::Opened {
        open_all(dir, Some(&SecretString::from(PASSWORD)))
            .await
            .unwrap()
    }

    async fn logs_in(dir: &Path) -> bool {
        let opened = console(dir).await;
        let pw = SecretString::from(PASSWORD);
        let accepted = matches!(
            opened.store.login("admin", &pw, "c").await.unwrap(),
            LoginOutcome::Accepted { .. }
        );
        opened.store.pool().close().await;
        accepted
    }

    #[tokio::test]
    async fn a_backup_restores_into_a_new_directory_and_never_overwrites() {
        let tmp = tempfile::tempdir().unwrap();
        let live = tmp.path().join("live");
        let opened = console(&live).await;
        let file = tmp.path().join("console-backup.db");
        let summary = backup(&live, &file).await.unwrap();
        assert_eq!(summary.schema, schema::newest());
        assert_eq!(summary.operators, 1);
        assert_eq!(summary.audit_lines, 1, "admin's creation");
        assert!(!tmp.path().join("console-backup.db.partial").exists());
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&file).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode, 0o600);
        }
        let again = backup(&live, &file).await.unwrap_err();
        assert!(again.to_string().contains("never overwrites"), "{again}");

        // A restore is refused while a console holds the directory.
        let held = lock::acquire(&live).unwrap();
        let refused = restore(&live, &file).await.unwrap_err();
        assert!(matches!(refused, CopyError::Refused(_)));
        assert!(refused.to_string().contains("stop it first"), "{refused}");
        drop(held);
        opened.store.pool().close().await;

        let fresh = tmp.path().join("fresh");
        let restored = restore(&fresh, &file).await.unwrap();
        assert_eq!(restored.replaced, None);
        assert_eq!(restored.summary.operators, 1);
        assert!(logs_in(&fresh).await);

        // Over an existing database, which is kept aside and still opens.
        let restored = restore(&live, &file).await.unwrap();
        let aside = restored.replaced.expect("the old database is kept");
        assert!(aside.is_file(), "{}", aside.display());
        assert!(logs_in(&live).await);
    }

    #[tokio::test]
    async fn a_restore_ends_the_sessions_of_the_backup() {
        use tower_sessions::session_store::SessionStore;
        let tmp = tempfile::tempdir().unwrap();
        let live = tmp.path().join("live");
        let opened = console(&live).await;
        let mut record = tower_sessions::session::Record {
            id: Default::default(),
            data: Default::default(),
            expiry_date: tower_sessions::cookie::time::OffsetDateTime::now_utc()
                + tower_sessions::cookie::time::Duration::hours(1),
        };
        tower_sessions_sqlx_store::SqliteStore::new(opened.store.pool().clone())
            .create(&mut record)
            .await
            .unwrap();
        let file = tmp.path().join("b.db");
        assert_eq!(backup(&live, &file).await.unwrap().sessions, 1);
        opened.store.pool().close().await;
        let restored = restore(&tmp.path().join("new"), &file).await.unwrap();
        assert_eq!(restored.summary.sessions, 0);
    }

    #[tokio::test]
    async fn what_is_not_a_console_database_of_a_known_schema_is_refused() {
        let tmp = tempfile::tempdir().unwrap();
        let data = tmp.path().join("data");
        let not_sqlite = tmp.path().join("notes.txt");
        std::fs::write(
            &not_sqlite,
            "not a database at all, but long enough to be read",
        )
        .unwrap();
        let foreign = tmp.path().join("foreign.db");
        {
            let pool = SqlitePool::connect_with(
                SqliteConnectOptions::new()
                    .filename(&foreign)
                    .create_if_missing(true),
            )
            .await
            .unwrap();
            sqlx::query("CREATE TABLE t (x)")
                .execute(&pool)
                .await
                .unwrap();
            pool.close().await;
        }
        // A backup of a console newer than this binary: one more migration.
        let live = tmp.path().join("live");
        let opened = console(&live).await;
        let newer = tmp.path().join("newer.db");
        backup(&live, &newer).await.unwrap();
        opened.store.pool().close().await;
        {
            let pool = connect(&newer).await.unwrap();
            schema::pretend_newer(&pool).await;
            pool.close().await;
        }
        for (file, expect) in [
            (&not_sqlite, "not a readable SQLite database"),
            (&foreign, "not a console database"),
            (&newer, "schema version 999"),
            (&tmp.path().join("missing.db"), "no such file"),
        ] {
            let e = restore(&data, file).await.unwrap_err();
            assert!(matches!(e, CopyError::Refused(_)), "{e:?}");
            assert!(e.to_string().contains(expect), "{e}");
        }
        assert!(!data.join(DATABASE).exists(), "nothing was put in place");
        assert!(!data.join("console.db.restoring").exists());
    }
}
