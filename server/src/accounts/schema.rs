//! The database's schema version: the migrations compiled into this binary, what a database
//! has applied, and whether this binary may open it. Migrations only move forward: a database
//! that a newer console wrote is refused, naming both versions, rather than half-understood.

use sqlx::migrate::Migrator;
use sqlx::SqlitePool;

/// The migrations in `server/migrations/`, compiled in.
pub static MIGRATOR: Migrator = sqlx::migrate!("./migrations");

/// The newest schema version this binary knows.
pub fn newest() -> i64 {
    MIGRATOR.iter().map(|m| m.version).max().unwrap_or(0)
}

/// What a database says of its own schema.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Applied {
    /// Each applied migration's version and checksum, in order.
    pub migrations: Vec<(i64, Vec<u8>)>,
    /// The console version that opened it last (`console_meta.written_by`), when recorded.
    pub written_by: Option<String>,
}

impl Applied {
    /// The schema version: the newest migration applied (0 for a new database).
    pub fn version(&self) -> i64 {
        self.migrations.iter().map(|(v, _)| *v).max().unwrap_or(0)
    }
}

/// Why this binary cannot use a database.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SchemaProblem {
    #[error(
        "it has schema version {found}{}, and this console ({this}) knows schema versions up to \
         {known}: run the newer console, or restore a backup this version made",
        written_by.as_ref().map(|w| format!(", written by DIS Dump Console {w}")).unwrap_or_default(),
        this = crate::VERSION
    )]
    Newer {
        found: i64,
        known: i64,
        written_by: Option<String>,
    },
    #[error(
        "its migration {0} is not the one this console has (a changed or foreign migration): \
         it was not written by a release of this console"
    )]
    Altered(i64),
    #[error("it is not a console database: it has no migration table")]
    Foreign,
}

/// Whether a database with `applied` opens with `known` migrations (version and checksum): yes
/// when every applied migration is one of them, unchanged. Older databases pass; the missing
/// migrations run when it opens.
pub fn check(applied: &Applied, known: &[(i64, &[u8])]) -> Result<(), SchemaProblem> {
    let newest = known.iter().map(|(v, _)| *v).max().unwrap_or(0);
    if applied.version() > newest {
        return Err(SchemaProblem::Newer {
            found: applied.version(),
            known: newest,
            written_by: applied.written_by.clone(),
        });
    }
    for (version, checksum) in &applied.migrations {
        match known.iter().find(|(v, _)| v == version) {
            Some((_, ours)) if *ours == checksum.as_slice() => {}
            _ => return Err(SchemaProblem::Altered(*version)),
        }
    }
    Ok(())
}

/// [`check`] against this binary's migrations.
pub fn check_ours(applied: &Applied) -> Result<(), SchemaProblem> {
    let known: Vec<(i64, &[u8])> = MIGRATOR
        .iter()
        .map(|m| (m.version, m.checksum.as_ref()))
        .collect();
    check(applied, &known)
}

/// Whether the database has a table called `name`.
pub(crate) async fn has_table(pool: &SqlitePool, name: &str) -> Result<bool, sqlx::Error> {
    let found: Option<i64> =
        sqlx::query_scalar("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?")
            .bind(name)
            .fetch_optional(pool)
            .await?;
    Ok(found.is_some())
}

/// What the database behind `pool` has applied; `None` when it has no migration table (a new,
/// empty database, or not a console database at all).
pub async fn applied(pool: &SqlitePool) -> Result<Option<Applied>, sqlx::Error> {
    if !has_table(pool, "_sqlx_migrations").await? {
        return Ok(None);
    }
    let migrations: Vec<(i64, Vec<u8>)> = sqlx::query_as(
        "SELECT version, checksum FROM _sqlx_migrations WHERE success = 1 ORDER BY version",
    )
    .fetch_all(pool)
    .await?;
    let written_by = if has_table(pool, "console_meta").await? {
        sqlx::query_scalar("SELECT value FROM console_meta WHERE key = 'written_by'")
            .fetch_optional(pool)
            .await?
    } else {
        None
    };
    Ok(Some(Applied {
        migrations,
        written_by,
    }))
}

/// Whether the database behind `pool` has any table: a file with tables but no migration table
/// is someone else's database.
pub async fn is_empty(pool: &SqlitePool) -> Result<bool, sqlx::Error> {
    let tables: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM sqlite_master WHERE type = 'table'")
        .fetch_one(pool)
        .await?;
    Ok(tables == 0)
}

/// Records this binary as the last to open the database.
pub async fn record_writer(pool: &SqlitePool) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO console_meta (key, value) VALUES ('written_by', ?) \
         ON CONFLICT (key) DO UPDATE SET value = excluded.value",
    )
    .bind(crate::VERSION)
    .execute(pool)
    .await?;
    Ok(())
}

/// Makes the database look written by a newer console: one more migration applied, 999.
#[cfg(test)]
pub(crate) async fn pretend_newer(pool: &SqlitePool) {
    sqlx::query(
        "INSERT INTO _sqlx_migrations (version, description, success, checksum, \
         execution_time) VALUES (999, 'from a newer console', 1, x'00', 0)",
    )
    .execute(pool)
    .await
    .unwrap();
}

#[cfg(test)]
mod tests {
    use super::*;

    fn applied(versions: &[(i64, &[u8])], written_by: Option<&str>) -> Applied {
        Applied {
            migrations: versions.iter().map(|(v, c)| (*v, c.to_vec())).collect(),
            written_by: written_by.map(str::to_owned),
        }
    }

    const KNOWN: &[(i64, &[u8])] = &[(1, b"a"), (2, b"b"), (3, b"c")];

    #[test]
    fn older_and_equal_schemas_open_and_newer_ones_name_both_versions() {
        assert_eq!(check(&applied(&[], None), KNOWN), Ok(()));
        assert_eq!(check(&applied(&[(1, b"a")], None), KNOWN), Ok(()));
        assert_eq!(
            check(&applied(&[(1, b"a"), (2, b"b"), (3, b"c")], None), KNOWN),
            Ok(())
        );
        let newer = check(
            &applied(
                &[(1, b"a"), (2, b"b"), (3, b"c"), (4, b"d")],
                Some("0.9.0 (commit abc)"),
            ),
            KNOWN,
        )
        .unwrap_err();
        let text = newer.to_string();
        assert!(text.contains("schema version 4"), "{text}");
        assert!(text.contains("up to 3"), "{text}");
        assert!(
            text.contains("written by DIS Dump Console 0.9.0 (commit abc)"),
            "{text}"
        );
        assert!(text.contains(crate::VERSION), "{text}");
    }

    #[test]
    fn a_changed_or_unknown_migration_is_refused() {
        assert_eq!(
            check(&applied(&[(1, b"a"), (2, b"x")], None), KNOWN),
            Err(SchemaProblem::Altered(2))
        );
        assert_eq!(
            check(
                &applied(&[(1, b"a"), (2, b"b"), (7, b"g")], Some("x")),
                &[(1, b"a"), (2, b"b"), (7, b"g"), (9, b"i")]
            ),
            Ok(())
        );
        assert_eq!(
            check(&applied(&[(5, b"e")], None), &[(1, b"a"), (9, b"i")]),
            Err(SchemaProblem::Altered(5))
        );
    }

    #[test]
    fn this_binary_knows_its_migrations_in_order() {
        let versions: Vec<i64> = MIGRATOR.iter().map(|m| m.version).collect();
        assert_eq!(versions, (1..=newest()).collect::<Vec<_>>());
        assert!(newest() >= 5);
    }
}
