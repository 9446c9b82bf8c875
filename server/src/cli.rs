//! The command line: `serve` (the default), `dis-backend`, `user …`, which manages operators
//! through the same rules as the Operators page (`app::services::operators`), and `backup` and
//! `restore` of the console's database (`accounts::backup`).

use crate::config::Config;
use crate::startup::{self, StartupError};
use app::api::admin::OperatorEdit;
use app::api::serve::audit_entry;
use app::api::session::Password;
use app::domain::Role;
use app::error::AppError;
use app::ports::Accounts;
use clap::{Parser, Subcommand};
use std::{net::SocketAddr, path::PathBuf};

#[derive(Parser)]
#[command(
    version = crate::VERSION,
    about = "A web console for Huawei Cloud DIS dump tasks"
)]
pub struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the console (the default). Configured through the environment: see README.md.
    Serve,
    /// Manage operators in CONSOLE_DATA_DIR's database. A password is read from
    /// CONSOLE_USER_PASSWORD, or else from the first line of standard input.
    User {
        #[command(subcommand)]
        action: UserAction,
    },
    /// Write a consistent copy of the console's database in CONSOLE_DATA_DIR (operators, audit
    /// log, sessions) to FILE, which must not exist. Safe while the console runs.
    Backup { file: PathBuf },
    /// Replace the database in CONSOLE_DATA_DIR with the backup in FILE, after checking it.
    /// Refused while a console runs on that directory; the replaced database is kept beside it.
    Restore { file: PathBuf },
    /// Run the embedded DIS-compatible backend alone. Credentials come from DIS_AK, DIS_SK and
    /// DIS_PROJECT_ID; a new data directory is seeded with demo streams.
    DisBackend {
        /// Address to listen on, such as 127.0.0.1:4000.
        #[arg(long)]
        listen: SocketAddr,
        /// Directory for the backend's state and dumped files.
        #[arg(long)]
        data: PathBuf,
        /// Address of the embedded OBS, which serves the dumped files; unset, a free port on
        /// the --listen address.
        #[arg(long)]
        obs_listen: Option<SocketAddr>,
    },
}

#[derive(Subcommand)]
enum UserAction {
    /// Add an operator.
    Add {
        name: String,
        /// viewer, operator or admin.
        #[arg(long, default_value = "operator")]
        role: String,
    },
    /// Set an operator's password.
    Passwd { name: String },
    /// Set an operator's role.
    Role { name: String, role: String },
    /// Stop an operator from logging in (their sessions end at their next request).
    Disable { name: String },
    /// Let a disabled operator log in again.
    Enable { name: String },
    /// List the operators.
    List,
}

/// Runs what the command line asks for.
pub fn run(cli: Cli) -> Result<(), StartupError> {
    match cli.command.unwrap_or(Command::Serve) {
        Command::Serve => startup::serve(),
        Command::User { action } => user(action),
        Command::Backup { file } => transfer(Transfer::Backup, file),
        Command::Restore { file } => transfer(Transfer::Restore, file),
        Command::DisBackend {
            listen,
            data,
            obs_listen,
        } => startup::dis_backend(listen, data, obs_listen),
    }
}

/// A new password: `CONSOLE_USER_PASSWORD`, else the first line of standard input. The rules
/// are checked with the change.
fn new_password() -> Result<Password, StartupError> {
    let text = match std::env::var("CONSOLE_USER_PASSWORD") {
        Ok(v) if !v.is_empty() => v,
        _ => {
            eprintln!("Password (12 to 128 characters), then Enter:");
            let mut line = String::new();
            std::io::stdin()
                .read_line(&mut line)
                .map_err(|e| StartupError::Failed(format!("cannot read the password: {e}")))?;
            line.trim_end_matches(['\r', '\n']).to_owned()
        }
    };
    Ok(Password::new(text))
}

fn role(text: &str) -> Result<Role, StartupError> {
    Role::parse(text).map_err(StartupError::Refused)
}

/// The edit a `user` command asks for; `None` for `list`.
fn edit(action: UserAction) -> Result<Option<OperatorEdit>, StartupError> {
    Ok(Some(match action {
        UserAction::List => return Ok(None),
        UserAction::Add { name, role: r } => OperatorEdit::Add {
            name,
            role: role(&r)?,
            password: new_password()?,
        },
        UserAction::Passwd { name } => OperatorEdit::SetPassword {
            name,
            password: new_password()?,
        },
        UserAction::Role { name, role: r } => OperatorEdit::SetRole {
            name,
            role: role(&r)?,
        },
        UserAction::Disable { name } => OperatorEdit::SetDisabled {
            name,
            disabled: true,
        },
        UserAction::Enable { name } => OperatorEdit::SetDisabled {
            name,
            disabled: false,
        },
    }))
}

fn user(action: UserAction) -> Result<(), StartupError> {
    let config = Config::from_env()?;
    // Store faults are logged with their detail: on stderr, which the operator at the shell
    // reads, never on stdout, which `user list` prints to.
    let _ = tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_max_level(tracing::Level::WARN)
        .with_target(false)
        .try_init();
    let edit = edit(action)?;
    startup::runtime()?.block_on(async move {
        let opened = crate::accounts::open_all(&config.data_dir, config.admin_password.as_ref())
            .await
            .map_err(|e| {
                StartupError::Failed(format!(
                    "cannot open the console's database in {}: {}",
                    config.data_dir.display(),
                    e.0
                ))
            })?;
        let store = opened.store;
        let Some(edit) = edit else {
            return list(store.as_ref()).await;
        };
        let (name, action) = (edit.name().to_owned(), edit.action());
        let done = app::services::operators::change(store.as_ref(), edit).await;
        let entry = audit_entry("command line", action, &name, &done, "command line".into());
        if let Err(e) = store.record(entry).await {
            tracing::error!(detail = %e.0, "audit write failed");
        }
        match done {
            Ok(()) => {
                println!("{action}: {name}: done");
                Ok(())
            }
            Err(AppError::Rejected(why)) => Err(StartupError::Refused(why)),
            Err(e) => Err(StartupError::Failed(format!(
                "cannot change the operator: {e}"
            ))),
        }
    })
}

enum Transfer {
    Backup,
    Restore,
}

fn transfer(direction: Transfer, file: PathBuf) -> Result<(), StartupError> {
    use crate::accounts::backup::{self, CopyError};
    let data_dir = crate::config::data_dir_from_env()?;
    let error = |e: CopyError| match e {
        CopyError::Refused(why) => StartupError::Refused(why),
        CopyError::Failed(why) => StartupError::Failed(why),
    };
    startup::runtime()?.block_on(async {
        match direction {
            Transfer::Backup => {
                let summary = backup::backup(&data_dir, &file).await.map_err(error)?;
                println!(
                    "Backed up {} to {}: {summary}.",
                    data_dir.display(),
                    file.display()
                );
            }
            Transfer::Restore => {
                let restored = backup::restore(&data_dir, &file).await.map_err(error)?;
                println!(
                    "Restored {} into {}: {}. Its sessions were ended: operators log in again.",
                    file.display(),
                    data_dir.display(),
                    restored.summary
                );
                let newest = crate::accounts::schema::newest();
                if restored.summary.schema < newest {
                    println!("The console upgrades it to schema version {newest} when it starts.");
                }
                if let Some(aside) = restored.replaced {
                    println!("The database it replaced is kept as {}.", aside.display());
                }
            }
        }
        Ok(())
    })
}

async fn list(store: &dyn Accounts) -> Result<(), StartupError> {
    let operators = store
        .operators()
        .await
        .map_err(|e| StartupError::Failed(format!("cannot list operators: {}", e.0)))?;
    for o in operators {
        println!(
            "{}\t{}\t{}\t{}",
            o.name,
            o.role.as_str(),
            if o.disabled { "disabled" } else { "enabled" },
            match &o.sign_on {
                Some(who) => format!("identity provider: {who}"),
                None => "local".to_owned(),
            }
        );
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_help_of_each_command_is_its_own() {
        use clap::CommandFactory;
        let cli = Cli::command();
        let about = |name: &str| {
            cli.find_subcommand(name)
                .and_then(|c| c.get_about())
                .map(|a| a.to_string())
                .unwrap_or_default()
        };
        assert!(
            about("user").starts_with("Manage operators"),
            "{}",
            about("user")
        );
        assert!(
            about("dis-backend").starts_with("Run the embedded"),
            "{}",
            about("dis-backend")
        );
    }
}
