//! Operators and the audit log: the rules every operator change meets, whether an admin makes
//! it on the Operators page or from the command line (`server user …`), and reading the log.

use crate::api::envelope::store_fault;
use crate::domain::access::{check_new_password, parse_operator_name};
use crate::domain::audit::AUDIT_PAGE;
use crate::domain::{AuditEntry, AuditFilter, OperatorInfo};
use crate::error::AppError;
use crate::ports::{Accounts, OperatorChange};

use crate::domain::access::OperatorEdit;

/// Checks `edit` and applies it. A refusal (a bad name or password, a taken or unknown name,
/// the last enabled admin) is `Rejected` with what to fix.
pub async fn change(accounts: &dyn Accounts, edit: OperatorEdit) -> Result<(), AppError> {
    let name = parse_operator_name(edit.name()).map_err(AppError::Rejected)?;
    let change = match edit {
        OperatorEdit::Add { role, password, .. } => {
            check_new_password(&password.0).map_err(AppError::Rejected)?;
            OperatorChange::Add {
                name: name.clone(),
                role,
                password: password.into_secret(),
            }
        }
        OperatorEdit::SetRole { role, .. } => OperatorChange::SetRole(role),
        OperatorEdit::SetPassword { password, .. } => {
            check_new_password(&password.0).map_err(AppError::Rejected)?;
            OperatorChange::SetPassword(password.into_secret())
        }
        OperatorEdit::SetDisabled { disabled, .. } => OperatorChange::SetDisabled(disabled),
    };
    accounts
        .change_operator(&name, change)
        .await
        .map_err(store_fault)?
        .map_err(AppError::Rejected)
}

/// [`change`], from the Operators page: an admin who sets their own password keeps this
/// session (their other sessions end, as everyone's do after a password change).
pub async fn save(accounts: &dyn Accounts, edit: OperatorEdit) -> Result<(), AppError> {
    let own_password = match &edit {
        OperatorEdit::SetPassword { name, .. } => crate::api::envelope::current()
            .await?
            .is_some_and(|(_, me)| me.name == name.trim()),
        _ => false,
    };
    change(accounts, edit).await?;
    if own_password {
        crate::services::session::keep_after_own_password_change(accounts).await?;
    }
    Ok(())
}

/// Every operator, by name.
pub async fn list(accounts: &dyn Accounts) -> Result<Vec<OperatorInfo>, AppError> {
    accounts.operators().await.map_err(store_fault)
}

/// One page of audit lines, newest first, that match `filter`.
pub async fn audit(
    accounts: &dyn Accounts,
    filter: &AuditFilter,
) -> Result<Vec<AuditEntry>, AppError> {
    let query = filter.check().map_err(AppError::Rejected)?;
    accounts
        .audit(&query, AUDIT_PAGE)
        .await
        .map_err(store_fault)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::access::Password;
    use crate::domain::Role;
    use crate::services::fakes::FakeAccounts;

    fn add(name: &str, role: Role, password: &str) -> OperatorEdit {
        OperatorEdit::Add {
            name: name.into(),
            role,
            password: Password::new(password.into()),
        }
    }

    #[tokio::test]
    async fn changes_meet_the_rules_and_the_store_s_refusals() {
        let accounts = FakeAccounts::default();
        change(&accounts, add("admin", Role::Admin, "a long password"))
            .await
            .unwrap();
        let e = change(&accounts, add("Bad Name", Role::Viewer, "a long password"))
            .await
            .unwrap_err();
        assert!(e.to_string().contains("lowercase letters"), "{e}");
        let e = change(&accounts, add("ann", Role::Viewer, "short"))
            .await
            .unwrap_err();
        assert_eq!(e, AppError::Rejected("Use at least 12 characters.".into()));
        let e = change(&accounts, add("admin", Role::Viewer, "a long password"))
            .await
            .unwrap_err();
        assert!(e.to_string().contains("already exists"), "{e}");
        let last = OperatorEdit::SetDisabled {
            name: "admin".into(),
            disabled: true,
        };
        let e = change(&accounts, last).await.unwrap_err();
        assert!(e.to_string().contains("at least one enabled admin"), "{e}");
    }
}
