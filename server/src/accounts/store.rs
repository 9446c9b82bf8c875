//! The SQLite store behind the `Accounts` port. Rows are read into typed structs and converted
//! with checks: a corrupt role, action or outcome is a store error, never silently another
//! value.

use super::cache::OperatorCache;
use super::limiter::{self, Limiter};
use super::password::{self, PasswordHashText, CONCURRENT_HASHES};
use app::clock::now_ms;
use app::domain::audit::AuditQuery;
use app::domain::{AuditAction, AuditEntry, AuditOutcome, Me, OperatorInfo, Role};
use app::ports::{Accounts, LiveOperator, LoginOutcome, OperatorChange, StoreError};
use secrecy::SecretString;
use sqlx::SqlitePool;

const LAST_ADMIN: &str = "The console needs at least one enabled admin.";

pub(super) fn fault(e: impl std::fmt::Display) -> StoreError {
    StoreError(e.to_string())
}

/// An `operators` row.
#[derive(sqlx::FromRow)]
struct OperatorRow {
    name: String,
    role: String,
    disabled: bool,
    created_ms: i64,
    last_login_ms: Option<i64>,
}

/// An `operators` row with its hash, for a login.
#[derive(sqlx::FromRow)]
struct LoginRow {
    id: i64,
    password_hash: String,
    role: String,
    disabled: bool,
    password_epoch: i64,
}

/// What a session check reads of an enabled operator.
#[derive(sqlx::FromRow)]
struct LiveRow {
    name: String,
    role: String,
    password_epoch: i64,
}

impl TryFrom<LiveRow> for LiveOperator {
    type Error = StoreError;

    fn try_from(r: LiveRow) -> Result<Self, StoreError> {
        Ok(LiveOperator {
            me: Me {
                role: role(&r.role)?,
                name: r.name,
            },
            password_epoch: r.password_epoch,
        })
    }
}

/// An `audit` row.
#[derive(sqlx::FromRow)]
struct AuditRow {
    at_ms: i64,
    operator: String,
    action: String,
    target: String,
    outcome: String,
    dis_code: Option<String>,
    request_id: String,
}

fn role(stored: &str) -> Result<Role, StoreError> {
    Role::parse(stored).map_err(|_| StoreError(format!("an operator row has the role {stored:?}")))
}

impl TryFrom<OperatorRow> for OperatorInfo {
    type Error = StoreError;

    fn try_from(r: OperatorRow) -> Result<Self, StoreError> {
        Ok(OperatorInfo {
            role: role(&r.role)?,
            name: r.name,
            disabled: r.disabled,
            created_ms: r.created_ms,
            last_login_ms: r.last_login_ms,
        })
    }
}

impl TryFrom<AuditRow> for AuditEntry {
    type Error = StoreError;

    fn try_from(r: AuditRow) -> Result<Self, StoreError> {
        Ok(AuditEntry {
            action: AuditAction::parse(&r.action)
                .ok_or_else(|| StoreError(format!("an audit row has the action {:?}", r.action)))?,
            outcome: AuditOutcome::parse(&r.outcome).ok_or_else(|| {
                StoreError(format!("an audit row has the outcome {:?}", r.outcome))
            })?,
            at_ms: r.at_ms,
            operator: r.operator,
            target: r.target,
            dis_code: r.dis_code,
            request_id: r.request_id,
        })
    }
}

/// The SQLite-backed accounts store.
pub struct Store {
    pool: SqlitePool,
    dummy_hash: PasswordHashText,
    limiter: Limiter,
    hashing: tokio::sync::Semaphore,
    seen: OperatorCache,
}

impl Store {
    pub fn new(pool: SqlitePool) -> Result<Store, StoreError> {
        Ok(Store {
            pool,
            dummy_hash: password::hash(&password::generate())?,
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
            .map_err(fault)?;
        if count > 0 {
            return Ok(None);
        }
        let generated = password.is_none().then(password::generate);
        let password = password
            .or(generated.as_ref())
            .cloned()
            .unwrap_or_else(password::generate);
        self.insert("admin", Role::Admin, &password).await?;
        self.write_audit(&AuditEntry {
            at_ms: now_ms(),
            operator: "console".into(),
            action: AuditAction::AddOperator,
            target: "admin".into(),
            outcome: AuditOutcome::Ok,
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
        .bind(hash.as_str())
        .bind(role.as_str())
        .bind(now)
        .bind(now)
        .execute(&self.pool)
        .await
        .map_err(fault)?;
        Ok(done.rows_affected() == 1)
    }

    /// Hashes off the async threads, a few at a time.
    async fn hash(&self, password: SecretString) -> Result<PasswordHashText, StoreError> {
        let _turn = self.hashing.acquire().await.map_err(fault)?;
        tokio::task::spawn_blocking(move || password::hash(&password))
            .await
            .map_err(fault)?
    }

    async fn write_audit(&self, e: &AuditEntry) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO audit (at_ms, operator, action, target, outcome, dis_code, request_id) \
             VALUES (?, ?, ?, ?, ?, ?, ?)",
        )
        .bind(e.at_ms)
        .bind(&e.operator)
        .bind(e.action.as_str())
        .bind(&e.target)
        .bind(e.outcome.as_str())
        .bind(&e.dis_code)
        .bind(&e.request_id)
        .execute(&self.pool)
        .await
        .map_err(fault)?;
        Ok(())
    }

    async fn enabled_admins(&self) -> Result<i64, StoreError> {
        sqlx::query_scalar("SELECT COUNT(*) FROM operators WHERE role = 'admin' AND disabled = 0")
            .fetch_one(&self.pool)
            .await
            .map_err(fault)
    }

    async fn apply(
        &self,
        name: &str,
        change: OperatorChange,
    ) -> Result<Result<(), String>, StoreError> {
        let sql =
            "SELECT name, role, disabled, created_ms, last_login_ms FROM operators WHERE name = ?";
        let existing: Option<OperatorRow> = self.row(sql, name).await?;
        let existing = existing
            .map(|r| Ok::<_, StoreError>((role(&r.role)?, r.disabled)))
            .transpose()?;
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
                self.update(name, "role = ?", role.as_str().to_owned())
                    .await?;
                Ok(Ok(()))
            }
            (OperatorChange::SetDisabled(disable), Some((current, disabled))) => {
                let removes = disable && current == Role::Admin && !disabled;
                if removes && self.enabled_admins().await? <= 1 {
                    return Ok(Err(LAST_ADMIN.into()));
                }
                self.update(name, "disabled = ?", disable).await?;
                Ok(Ok(()))
            }
            (OperatorChange::SetPassword(password), Some(_)) => {
                let hash = self.hash(password).await?;
                // The new epoch ends every session opened with the old password.
                let set = "password_hash = ?, password_epoch = password_epoch + 1";
                self.update(name, set, hash.as_str().to_owned()).await?;
                Ok(Ok(()))
            }
        }
    }

    /// The row `sql` selects with its one parameter, `key`, if there is one.
    async fn row<'q, R, K>(&self, sql: &'q str, key: K) -> Result<Option<R>, StoreError>
    where
        R: for<'r> sqlx::FromRow<'r, sqlx::sqlite::SqliteRow> + Send + Unpin,
        K: 'q + sqlx::Encode<'q, sqlx::Sqlite> + sqlx::Type<sqlx::Sqlite> + Send,
    {
        sqlx::query_as(sql)
            .bind(key)
            .fetch_optional(&self.pool)
            .await
            .map_err(fault)
    }

    /// Changes an operator's row: `set` is one of this file's literal assignments, with one
    /// parameter, `value`.
    async fn update<T>(&self, name: &str, set: &'static str, value: T) -> Result<(), StoreError>
    where
        T: for<'q> sqlx::Encode<'q, sqlx::Sqlite> + sqlx::Type<sqlx::Sqlite> + Send,
    {
        let sql = format!("UPDATE operators SET {set}, updated_ms = ? WHERE name = ?");
        let done = sqlx::query(&sql)
            .bind(value)
            .bind(now_ms())
            .bind(name)
            .execute(&self.pool)
            .await
            .map_err(fault);
        self.seen.clear();
        done.map(drop)
    }

    async fn check_login(
        &self,
        name: &str,
        password: &SecretString,
        client: &str,
    ) -> Result<LoginOutcome, StoreError> {
        // Counted before the hash: simultaneous attempts meet the limits one after another.
        let attempt = match self.limiter.begin(limiter::keys(name, client)) {
            Ok(attempt) => attempt,
            Err(retry_after_secs) => return Ok(LoginOutcome::Throttled { retry_after_secs }),
        };
        let sql = "SELECT id, password_hash, role, disabled, password_epoch FROM operators \
                   WHERE name = ?";
        let row: Option<LoginRow> = self.row(sql, name).await?;
        let hash = match &row {
            Some(r) => PasswordHashText(SecretString::from(r.password_hash.clone())),
            // The same work as a real check, so the answer's timing says nothing.
            None => self.dummy_hash.clone(),
        };
        let matches = {
            let _turn = self.hashing.acquire().await.map_err(fault)?;
            let password = password.clone();
            tokio::task::spawn_blocking(move || password::verify(&password, &hash))
                .await
                .map_err(fault)?
        };
        match row {
            Some(r) if matches && !r.disabled => {
                let role = role(&r.role)?;
                self.limiter.succeeded(attempt);
                sqlx::query("UPDATE operators SET last_login_ms = ? WHERE id = ?")
                    .bind(app::clock::now_ms())
                    .bind(r.id)
                    .execute(&self.pool)
                    .await
                    .map_err(fault)?;
                Ok(LoginOutcome::Accepted {
                    id: r.id,
                    operator: LiveOperator {
                        me: Me {
                            name: name.to_owned(),
                            role,
                        },
                        password_epoch: r.password_epoch,
                    },
                })
            }
            // The attempt stays counted as a failure.
            _ => Ok(LoginOutcome::Refused),
        }
    }
}

#[async_trait::async_trait]
impl Accounts for Store {
    async fn login(
        &self,
        name: &str,
        password: &SecretString,
        client: &str,
    ) -> Result<LoginOutcome, StoreError> {
        self.check_login(name, password, client).await
    }

    async fn operator(&self, id: i64) -> Result<Option<LiveOperator>, StoreError> {
        let generation = match self.seen.get(id) {
            Ok(live) => return Ok(Some(live)),
            Err(generation) => generation,
        };
        let sql = "SELECT name, role, password_epoch FROM operators WHERE id = ? AND disabled = 0";
        let row: Option<LiveRow> = self.row(sql, id).await?;
        let live = row.map(LiveOperator::try_from).transpose()?;
        if let Some(live) = &live {
            self.seen.put(id, live, generation);
        }
        Ok(live)
    }

    async fn operators(&self) -> Result<Vec<OperatorInfo>, StoreError> {
        let rows: Vec<OperatorRow> = sqlx::query_as(
            "SELECT name, role, disabled, created_ms, last_login_ms FROM operators ORDER BY name",
        )
        .fetch_all(&self.pool)
        .await
        .map_err(fault)?;
        rows.into_iter().map(OperatorInfo::try_from).collect()
    }

    async fn change_operator(
        &self,
        name: &str,
        change: OperatorChange,
    ) -> Result<Result<(), String>, StoreError> {
        self.apply(name, change).await
    }

    async fn record(&self, entry: AuditEntry) -> Result<(), StoreError> {
        self.write_audit(&entry).await
    }

    async fn audit(&self, q: &AuditQuery, limit: u32) -> Result<Vec<AuditEntry>, StoreError> {
        let action = q.action.map(AuditAction::as_str).unwrap_or("");
        let outcome = q.outcome.map(AuditOutcome::as_str).unwrap_or("");
        let rows: Vec<AuditRow> = sqlx::query_as(
            "SELECT at_ms, operator, action, target, outcome, dis_code, request_id FROM audit \
             WHERE at_ms < ? AND (? = '' OR operator = ?) AND (? = '' OR action = ?) \
             AND (? = '' OR outcome = ?) ORDER BY at_ms DESC, id DESC LIMIT ?",
        )
        .bind(q.before_ms)
        .bind(&q.operator)
        .bind(&q.operator)
        .bind(action)
        .bind(action)
        .bind(outcome)
        .bind(outcome)
        .bind(i64::from(limit))
        .fetch_all(&self.pool)
        .await
        .map_err(fault)?;
        rows.into_iter().map(AuditEntry::try_from).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::accounts::limiter::{FAILURES_PER_NAME_AND_CLIENT, FAILURE_WINDOW};
    use secrecy::ExposeSecret;

    async fn store() -> (tempfile::TempDir, Store) {
        let dir = tempfile::tempdir().unwrap();
        let pool = crate::accounts::open(dir.path()).await.unwrap();
        (dir, Store::new(pool).unwrap())
    }

    #[tokio::test]
    async fn the_first_admin_logs_in_and_failures_are_throttled_per_name_and_address() {
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
                operator: LiveOperator {
                    me: Me {
                        role: Role::Admin,
                        ..
                    },
                    ..
                },
                ..
            }
        ));

        let wrong = SecretString::from("not the password");
        for _ in 0..FAILURES_PER_NAME_AND_CLIENT {
            assert_eq!(
                store.login("admin", &wrong, "10.0.0.2").await.unwrap(),
                LoginOutcome::Refused
            );
        }
        // Now even the right password waits, from that address...
        match store.login("admin", &generated, "10.0.0.2").await.unwrap() {
            LoginOutcome::Throttled { retry_after_secs } => {
                assert!((1..=FAILURE_WINDOW.as_secs()).contains(&retry_after_secs))
            }
            other => panic!("{other:?}"),
        }
        // ...while the operator, elsewhere, is not locked out by someone else's failures.
        assert!(matches!(
            store.login("admin", &generated, "10.0.0.3").await.unwrap(),
            LoginOutcome::Accepted { .. }
        ));
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
        assert_eq!(ann.me.role, Role::Operator);

        let viewer = OperatorChange::SetRole(Role::Viewer);
        store.apply("ann", viewer).await.unwrap().unwrap();
        assert_eq!(
            store.operator(id).await.unwrap().unwrap().me.role,
            Role::Viewer
        );
        let disable = OperatorChange::SetDisabled(true);
        store.apply("ann", disable).await.unwrap().unwrap();
        assert_eq!(store.operator(id).await.unwrap(), None);
    }

    #[tokio::test]
    async fn a_corrupt_row_is_an_error_not_a_guess() {
        let (_dir, store) = store().await;
        let pw = SecretString::from("a long enough password");
        store.ensure_admin(Some(&pw)).await.unwrap();
        sqlx::query(
            "INSERT INTO audit (at_ms, operator, action, target, outcome, dis_code, request_id) \
             VALUES (1, 'x', 'format disk', 't', 'ok', NULL, 'r')",
        )
        .execute(store.pool())
        .await
        .unwrap();
        let all = AuditQuery {
            operator: String::new(),
            action: None,
            outcome: None,
            before_ms: i64::MAX,
        };
        let e = store.audit(&all, 10).await.unwrap_err();
        assert!(e.0.contains("format disk"), "{e:?}");
        // The table's CHECK keeps a bad role out; a row read as another type still fails.
        let converted = OperatorInfo::try_from(OperatorRow {
            name: "ann".into(),
            role: "root".into(),
            disabled: false,
            created_ms: 0,
            last_login_ms: None,
        });
        assert!(converted.is_err());
    }

    #[tokio::test]
    async fn a_login_records_when_it_happened_and_a_refused_one_does_not() {
        let (_dir, store) = store().await;
        let pw = SecretString::from("a long enough password");
        store.ensure_admin(Some(&pw)).await.unwrap();
        async fn last(store: &Store) -> Option<i64> {
            store.operators().await.unwrap()[0].last_login_ms
        }
        assert_eq!(last(&store).await, None, "never logged in");
        let wrong = SecretString::from("not the password at all");
        store.login("admin", &wrong, "c").await.unwrap();
        assert_eq!(last(&store).await, None, "a refused login is no login");
        let before = app::clock::now_ms();
        store.login("admin", &pw, "c").await.unwrap();
        let at = last(&store).await.expect("recorded");
        assert!((before..=app::clock::now_ms()).contains(&at));
    }

    #[tokio::test]
    async fn a_database_of_the_first_two_migrations_upgrades_and_keeps_its_operators() {
        let dir = tempfile::tempdir().unwrap();
        // The migrations as an older console had them: the first two.
        let older = dir.path().join("older-migrations");
        std::fs::create_dir(&older).unwrap();
        let ours = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("migrations");
        for name in ["0001_accounts.sql", "0002_password_epoch.sql"] {
            std::fs::copy(ours.join(name), older.join(name)).unwrap();
        }
        let file = dir.path().join(crate::accounts::DATABASE);
        {
            let options = sqlx::sqlite::SqliteConnectOptions::new()
                .filename(&file)
                .create_if_missing(true);
            let pool = sqlx::SqlitePool::connect_with(options).await.unwrap();
            sqlx::migrate::Migrator::new(older.as_path())
                .await
                .unwrap()
                .run(&pool)
                .await
                .unwrap();
            let old = Store::new(pool.clone()).unwrap();
            old.ensure_admin(Some(&SecretString::from("the old admin password")))
                .await
                .unwrap();
            pool.close().await;
        }
        // The current console opens it: the later migrations apply, the admin stays and logs in
        // with their old password, and has no login recorded from before.
        let store = Store::new(crate::accounts::open(dir.path()).await.unwrap()).unwrap();
        let before = store.operators().await.unwrap();
        assert_eq!(before.len(), 1);
        assert_eq!(before[0].last_login_ms, None);
        let old = SecretString::from("the old admin password");
        assert!(matches!(
            store.login("admin", &old, "c").await.unwrap(),
            LoginOutcome::Accepted { .. }
        ));
        assert!(store.operators().await.unwrap()[0].last_login_ms.is_some());
    }

    #[tokio::test]
    async fn a_new_password_moves_the_epoch_on() {
        let (_dir, store) = store().await;
        let pw = SecretString::from("a long enough password");
        store.ensure_admin(Some(&pw)).await.unwrap();
        let id: i64 = sqlx::query_scalar("SELECT id FROM operators WHERE name = 'admin'")
            .fetch_one(store.pool())
            .await
            .unwrap();
        let before = store.operator(id).await.unwrap().unwrap().password_epoch;
        let new = OperatorChange::SetPassword(SecretString::from("another long password"));
        store.apply("admin", new).await.unwrap().unwrap();
        let after = store.operator(id).await.unwrap().unwrap().password_epoch;
        assert_eq!(after, before + 1);
        let role = OperatorChange::SetRole(Role::Admin);
        store.apply("admin", role).await.unwrap().unwrap();
        assert_eq!(
            store.operator(id).await.unwrap().unwrap().password_epoch,
            after
        );
    }
}
