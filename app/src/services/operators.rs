//! Changing operators: the rules every change meets, whether an admin makes it on the Operators
//! page or from the command line (`server user …`).

use crate::domain::access::{check_new_password, parse_operator_name};
use crate::error::AppError;
use crate::ports::{Accounts, OperatorChange};

pub use crate::api::admin::OperatorEdit;

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
        .map_err(crate::api::envelope::store_fault)?
        .map_err(AppError::Rejected)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::session::Password;
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
