//! The SQLite store behind the `Accounts` port. Rows are read into typed structs and converted
//! with checks: a corrupt role, action or outcome is a store error, never silently another
//! value.

use super::cache::OperatorCache;
use super::limiter::{self, Limiter};
use super::password::{self, PasswordHashText, CONCURRENT_HASHES};
use app::clock::now_ms;
use app::domain::audit::AuditQuery;
use app::domain::sso::{numbered, SignOnIdentity};
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
    source: String,
    subject: Option<String>,
    display_name: Option<String>,
}

/// The columns of an [`OperatorRow`].
const OPERATOR_COLUMNS: &str =
    "name, role, disabled, created_ms, last_login_ms, source, subject, display_name";

/// `operators.source` of those who sign on through the identity provider.
const SIGN_ON_SOURCE: &str = "oidc";

/// What a sign-on through the identity provider comes to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SignOnOutcome {
    /// The operator with this id, created at their first sign-on, with the role just given.
    Accepted { id: i64, operator: LiveOperator },
    /// An admin disabled them.
    Disabled,
}

/// An `operators` row with its hash, for a login.
#[derive(sqlx::FromRow)]
struct LoginRow {
    id: i64,
    password_hash: String,
    source: String,
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
    subject: Option<String>,
    display_name: Option<String>,
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
            sign_on: identity(r.source == SIGN_ON_SOURCE, r.subject, r.display_name),
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
            identity: identity(true, r.subject, r.display_name),
        })
    }
}

/// A sign-on identity from its stored columns, when `signs_on` and the subject is there.
fn identity(
    signs_on: bool,
    subject: Option<String>,
    display_name: Option<String>,
) -> Option<SignOnIdentity> {
    let subject = subject.filter(|_| signs_on)?;
    Some(SignOnIdentity {
        display_name: display_name.unwrap_or_else(|| subject.clone()),
        subject,
    })
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
            identity: None,
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

    /// Writes an audit line. A line of an operator who signs on carries who they are at the
    /// provider: the entry's own identity (a sign-on gives it), else the operator's as stored.
    /// A failed local login is never matched to one: its name is only what was typed.
    async fn write_audit(&self, e: &AuditEntry) -> Result<(), StoreError> {
        let stored: Option<(Option<String>, Option<String>)> =
            match (&e.identity, e.action == AuditAction::Login) {
                (None, false) => sqlx::query_as(
                    "SELECT subject, display_name FROM operators WHERE name = ? AND source = ?",
                )
                .bind(&e.operator)
                .bind(SIGN_ON_SOURCE)
                .fetch_optional(&self.pool)
                .await
                .map_err(fault)?,
                _ => None,
            };
        let (subject, display_name) = match (&e.identity, stored) {
            (Some(who), _) => (Some(who.subject.clone()), Some(who.display_name.clone())),
            (None, Some(stored)) => stored,
            (None, None) => (None, None),
        };
        sqlx::query(
            "INSERT INTO audit (at_ms, operator, action, target, outcome, dis_code, request_id, \
             subject, display_name) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        )
        .bind(e.at_ms)
        .bind(&e.operator)
        .bind(e.action.as_str())
        .bind(&e.target)
        .bind(e.outcome.as_str())
        .bind(&e.dis_code)
        .bind(&e.request_id)
        .bind(subject)
        .bind(display_name)
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
        let sql = format!("SELECT {OPERATOR_COLUMNS} FROM operators WHERE name = ?");
        let existing: Option<OperatorRow> = self.row(&sql, name).await?;
        let signs_on = existing
            .as_ref()
            .is_some_and(|r| r.source == SIGN_ON_SOURCE);
        let existing = existing
            .map(|r| Ok::<_, StoreError>((role(&r.role)?, r.disabled)))
            .transpose()?;
        match (change, existing) {
            (OperatorChange::SetRole(_), Some(_)) if signs_on => Ok(Err(format!(
                "{name} signs on through the identity provider: their role comes from their \
                 groups there, at each sign-on."
            ))),
            (OperatorChange::SetPassword(_), Some(_)) if signs_on => Ok(Err(format!(
                "{name} signs on through the identity provider and has no password here."
            ))),
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

    /// Signs on someone the identity provider vouched for, with the role their groups map to.
    /// The operator with their subject is found, or created at their first sign-on under the
    /// first free name of `base`, `base-2`… (a local operator's name is never taken over).
    /// Their role and display name follow the provider at every sign-on; a disabled one stays
    /// out.
    pub async fn sign_on(
        &self,
        who: &SignOnIdentity,
        base: &str,
        role: Role,
    ) -> Result<SignOnOutcome, StoreError> {
        let now = now_ms();
        let found: Option<(i64, String, bool, i64)> = sqlx::query_as(
            "SELECT id, name, disabled, password_epoch FROM operators \
             WHERE source = ? AND subject = ?",
        )
        .bind(SIGN_ON_SOURCE)
        .bind(&who.subject)
        .fetch_optional(&self.pool)
        .await
        .map_err(fault)?;
        let (id, name, epoch) = match found {
            Some((_, _, true, _)) => return Ok(SignOnOutcome::Disabled),
            Some((id, name, false, epoch)) => {
                sqlx::query(
                    "UPDATE operators SET role = ?, display_name = ?, last_login_ms = ?, \
                     updated_ms = ? WHERE id = ?",
                )
                .bind(role.as_str())
                .bind(&who.display_name)
                .bind(now)
                .bind(now)
                .bind(id)
                .execute(&self.pool)
                .await
                .map_err(fault)?;
                (id, name, epoch)
            }
            None => self.add_signed_on(who, base, role, now).await?,
        };
        self.seen.clear();
        Ok(SignOnOutcome::Accepted {
            id,
            operator: LiveOperator {
                me: Me { name, role },
                password_epoch: epoch,
            },
        })
    }

    /// Creates the operator for a first sign-on under the first free name.
    async fn add_signed_on(
        &self,
        who: &SignOnIdentity,
        base: &str,
        role: Role,
        now: i64,
    ) -> Result<(i64, String, i64), StoreError> {
        for n in 1..=99 {
            let name = numbered(base, n);
            // No password hash verifies against an empty text; login refuses these rows anyway.
            let id: Option<i64> = sqlx::query_scalar(
                "INSERT INTO operators (name, password_hash, role, disabled, created_ms, \
                 updated_ms, last_login_ms, source, subject, display_name) \
                 VALUES (?, '', ?, 0, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING RETURNING id",
            )
            .bind(&name)
            .bind(role.as_str())
            .bind(now)
            .bind(now)
            .bind(now)
            .bind(SIGN_ON_SOURCE)
            .bind(&who.subject)
            .bind(&who.display_name)
            .fetch_optional(&self.pool)
            .await
            .map_err(fault)?;
            if let Some(id) = id {
                return Ok((id, name, 0));
            }
            // The same person's sign-on in another tab may have just created them.
            let created: Option<(i64, String, i64)> = sqlx::query_as(
                "SELECT id, name, password_epoch FROM operators WHERE source = ? AND subject = ?",
            )
            .bind(SIGN_ON_SOURCE)
            .bind(&who.subject)
            .fetch_optional(&self.pool)
            .await
            .map_err(fault)?;
            if let Some(created) = created {
                return Ok(created);
            }
        }
        Err(StoreError(format!(
            "no free operator name from {base} to {}",
            numbered(base, 99)
        )))
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
        let sql = "SELECT id, password_hash, source, role, disabled, password_epoch \
                   FROM operators WHERE name = ?";
        let row: Option<LoginRow> = self.row(sql, name).await?;
        let hash = match &row {
            Some(r) if r.source != SIGN_ON_SOURCE => {
                PasswordHashText(SecretString::from(r.password_hash.clone()))
            }
            // The same work as a real check, so the answer's timing says nothing. An operator
            // who signs on through the identity provider has no password here.
            _ => self.dummy_hash.clone(),
        };
        let matches = {
            let _turn = self.hashing.acquire().await.map_err(fault)?;
            let password = password.clone();
            tokio::task::spawn_blocking(move || password::verify(&password, &hash))
                .await
                .map_err(fault)?
        };
        match row {
            Some(r) if matches && !r.disabled && r.source != SIGN_ON_SOURCE => {
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
        let sql = format!("SELECT {OPERATOR_COLUMNS} FROM operators ORDER BY name");
        let rows: Vec<OperatorRow> = sqlx::query_as(&sql)
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
            "SELECT at_ms, operator, action, target, outcome, dis_code, request_id, subject, \
             display_name FROM audit \
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
        let all = AuditQuery::newest("");
        let e = store.audit(&all, 10).await.unwrap_err();
        assert!(e.0.contains("format disk"), "{e:?}");
        // The table's CHECK keeps a bad role out; a row read as another type still fails.
        let converted = OperatorInfo::try_from(OperatorRow {
            name: "ann".into(),
            role: "root".into(),
            disabled: false,
            created_ms: 0,
            last_login_ms: None,
            source: "local".into(),
            subject: None,
            display_name: None,
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
    async fn a_database_of_the_first_schema_upgrades_and_keeps_operators_audit_and_sessions() {
        use tower_sessions::session_store::SessionStore;
        let dir = tempfile::tempdir().unwrap();
        // The migrations as the first console had them: the first one alone.
        let older = dir.path().join("older-migrations");
        std::fs::create_dir(&older).unwrap();
        let ours = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("migrations");
        std::fs::copy(
            ours.join("0001_accounts.sql"),
            older.join("0001_accounts.sql"),
        )
        .unwrap();
        let file = dir.path().join(crate::accounts::DATABASE);
        let session = {
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
            // Two operators, audit lines and a session, as a console of that schema wrote them.
            let hash = password::hash(&SecretString::from("the old admin password")).unwrap();
            for (name, role) in [("admin", "admin"), ("olga", "operator")] {
                sqlx::query(
                    "INSERT INTO operators (name, password_hash, role, disabled, created_ms, \
                     updated_ms) VALUES (?, ?, ?, 0, 1, 1)",
                )
                .bind(name)
                .bind(hash.as_str())
                .bind(role)
                .execute(&pool)
                .await
                .unwrap();
            }
            for (at, action, target) in [(10, "add operator", "olga"), (20, "login", "admin")] {
                sqlx::query(
                    "INSERT INTO audit (at_ms, operator, action, target, outcome, request_id) \
                     VALUES (?, 'admin', ?, ?, 'ok', 'r-old')",
                )
                .bind(at)
                .bind(action)
                .bind(target)
                .execute(&pool)
                .await
                .unwrap();
            }
            let sessions = tower_sessions_sqlx_store::SqliteStore::new(pool.clone());
            sessions.migrate().await.unwrap();
            let mut record = tower_sessions::session::Record {
                id: Default::default(),
                data: [("marker".to_owned(), serde_json::json!("kept"))].into(),
                expiry_date: tower_sessions::cookie::time::OffsetDateTime::now_utc()
                    + tower_sessions::cookie::time::Duration::hours(1),
            };
            sessions.create(&mut record).await.unwrap();
            pool.close().await;
            record.id
        };
        // The current console opens it: the later migrations apply, and everything stays.
        let opened = crate::accounts::open_all(dir.path(), None).await.unwrap();
        assert!(opened.generated_admin_password.is_none());
        let store = opened.store;
        let applied = crate::accounts::schema::applied(store.pool())
            .await
            .unwrap()
            .unwrap();
        assert_eq!(applied.version(), crate::accounts::schema::newest());
        assert_eq!(applied.written_by.as_deref(), Some(crate::VERSION));
        let operators = store.operators().await.unwrap();
        assert_eq!(operators.len(), 2);
        assert!(operators
            .iter()
            .all(|o| o.last_login_ms.is_none() && o.sign_on.is_none()));
        let audit = store.audit(&AuditQuery::newest(""), 10).await.unwrap();
        let targets: Vec<&str> = audit.iter().map(|a| a.target.as_str()).collect();
        assert_eq!(targets, ["admin", "olga"]);
        assert!(audit.iter().all(|a| a.identity.is_none()));
        let kept = opened
            .sessions
            .load(&session)
            .await
            .unwrap()
            .expect("the session");
        assert_eq!(kept.data["marker"], "kept");
        // The old admin logs in with their old password.
        let old = SecretString::from("the old admin password");
        assert!(matches!(
            store.login("admin", &old, "c").await.unwrap(),
            LoginOutcome::Accepted { .. }
        ));
        store.pool().close().await;

        // A newer console's database is refused, naming both versions.
        let pool = crate::accounts::open(dir.path()).await.unwrap();
        crate::accounts::schema::pretend_newer(&pool).await;
        pool.close().await;
        let refused = crate::accounts::open(dir.path()).await.unwrap_err().0;
        assert!(refused.contains("schema version 999"), "{refused}");
        assert!(
            refused.contains(&format!("up to {}", crate::accounts::schema::newest())),
            "{refused}"
        );
        assert!(
            refused.contains(&format!("written by DIS Dump Console {}", crate::VERSION)),
            "{refused}"
        );
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

    #[tokio::test]
    async fn a_sign_on_creates_the_operator_once_and_follows_the_provider() {
        let (_dir, store) = store().await;
        let pw = SecretString::from("a long enough password");
        store.ensure_admin(Some(&pw)).await.unwrap();
        let who = SignOnIdentity {
            subject: "sub-1".into(),
            display_name: "Ada Lovelace".into(),
        };
        // "admin" is a local operator's: the first sign-on takes the next free name.
        let first = store.sign_on(&who, "admin", Role::Operator).await.unwrap();
        let SignOnOutcome::Accepted { id, operator } = first else {
            panic!("{first:?}")
        };
        assert_eq!(operator.me.name, "admin-2");
        // The next sign-on finds the same operator, with the role their groups give now.
        let renamed = SignOnIdentity {
            display_name: "Ada King".into(),
            ..who.clone()
        };
        let again = store.sign_on(&renamed, "ada", Role::Viewer).await.unwrap();
        assert!(
            matches!(&again, SignOnOutcome::Accepted { id: same, operator } if *same == id && operator.me.name == "admin-2" && operator.me.role == Role::Viewer),
            "{again:?}"
        );
        let listed = store.operators().await.unwrap();
        let ada = listed.iter().find(|o| o.name == "admin-2").unwrap();
        assert_eq!(ada.sign_on, Some(renamed.clone()));
        assert!(ada.last_login_ms.is_some());
        assert_eq!(
            listed.iter().find(|o| o.name == "admin").unwrap().sign_on,
            None
        );

        // No password logs them in, and their role and password are not the console's to set.
        assert_eq!(
            store
                .login("admin-2", &SecretString::from(""), "c")
                .await
                .unwrap(),
            LoginOutcome::Refused
        );
        for change in [
            OperatorChange::SetRole(Role::Admin),
            OperatorChange::SetPassword(SecretString::from("a long enough password")),
        ] {
            let refused = store.apply("admin-2", change).await.unwrap().unwrap_err();
            assert!(refused.contains("identity provider"), "{refused}");
        }

        // Their audit lines say who they are at the provider; a typed name at a failed login
        // is never matched to them.
        let line = |action, operator: &str| AuditEntry {
            at_ms: now_ms(),
            operator: operator.into(),
            action,
            target: "t".into(),
            outcome: AuditOutcome::Ok,
            dis_code: None,
            request_id: "r".into(),
            identity: None,
        };
        store
            .record(line(AuditAction::StartTasks, "admin-2"))
            .await
            .unwrap();
        store
            .record(line(AuditAction::Login, "admin-2"))
            .await
            .unwrap();
        let all = AuditQuery::newest("");
        let audit = store.audit(&all, 10).await.unwrap();
        assert_eq!(audit[0].action, AuditAction::Login);
        assert_eq!(audit[0].identity, None);
        assert_eq!(audit[1].identity, Some(renamed.clone()));

        // Disabled by an admin: refused at the next sign-on.
        store
            .apply("admin-2", OperatorChange::SetDisabled(true))
            .await
            .unwrap()
            .unwrap();
        assert_eq!(
            store.sign_on(&renamed, "ada", Role::Admin).await.unwrap(),
            SignOnOutcome::Disabled
        );
        assert!(store.operator(id).await.unwrap().is_none());
    }
}
