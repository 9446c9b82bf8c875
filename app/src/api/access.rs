//! Who may call what: every server function and the role it requires, in one table. The
//! server's API guard enforces it before a function runs (a path the table lacks is refused),
//! and each function's own guard reads the same row ([`Guarded::ROLE`]) when it runs, since
//! pages rendered on the server call server functions in-process. Server only.

#![cfg(feature = "ssr")]

use super::{admin, parts, session, status, streams, tasks};
use crate::domain::Role;
use leptos::server_fn::ServerFn;

/// A server function's row in the access table: the role it requires, `None` for the few a
/// visitor without a session may call.
pub trait Guarded: ServerFn {
    const ROLE: Option<Role>;
}

macro_rules! access_table {
    ($($function:path => $role:expr,)+) => {
        $(impl Guarded for $function {
            const ROLE: Option<Role> = $role;
        })+

        /// Every server function's path and the role it requires.
        pub const SERVER_FN_ACCESS: &[(&str, Option<Role>)] =
            &[$((<$function as ServerFn>::PATH, $role),)+];
    };
}

access_table! {
    session::Login => None,
    session::Logout => None,
    session::Whoami => None,
    status::GetConsoleStatus => Some(Role::Viewer),
    streams::ListStreams => Some(Role::Viewer),
    streams::ListStreamPage => Some(Role::Viewer),
    streams::GetStream => Some(Role::Viewer),
    streams::GetDumpTask => Some(Role::Viewer),
    parts::GetPart => Some(Role::Viewer),
    parts::RefreshOverview => Some(Role::Viewer),
    streams::SendTestRecords => Some(Role::Operator),
    streams::SampleRecords => Some(Role::Operator),
    tasks::CreateDumpTask => Some(Role::Operator),
    tasks::UpdateDumpTask => Some(Role::Operator),
    tasks::SetTaskState => Some(Role::Operator),
    tasks::DeleteDumpTask => Some(Role::Admin),
    streams::CreateStream => Some(Role::Operator),
    streams::ScaleStream => Some(Role::Operator),
    streams::ChangeStream => Some(Role::Operator),
    streams::DeleteStream => Some(Role::Admin),
    admin::ListAudit => Some(Role::Admin),
    admin::ListOperators => Some(Role::Admin),
    admin::SaveOperator => Some(Role::Admin),
}

/// What calling `path` requires (`Some(None)`: no session needed); `None` for a path the table
/// does not know.
pub fn required_role(path: &str) -> Option<Option<Role>> {
    SERVER_FN_ACCESS
        .iter()
        .find(|(p, _)| *p == path)
        .map(|(_, role)| *role)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_names_every_function_once_by_its_path() {
        assert_eq!(
            required_role("/api/delete_dump_task"),
            Some(Some(Role::Admin))
        );
        assert_eq!(required_role("/api/login"), Some(None));
        assert_eq!(
            required_role("/api/console_status"),
            Some(Some(Role::Viewer))
        );
        assert_eq!(required_role("/api/unknown"), None);
        let mut paths: Vec<&str> = SERVER_FN_ACCESS.iter().map(|(p, _)| *p).collect();
        paths.sort_unstable();
        paths.dedup();
        assert_eq!(paths.len(), SERVER_FN_ACCESS.len(), "a path appears twice");
    }
}
