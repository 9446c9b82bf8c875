//! `server`: the DIS dump console.

use clap::{Parser, Subcommand};
use secrecy::SecretString;
use server::{
    config::Config,
    connect, dis_backend, telemetry,
    web::{self, AppState, SHUTDOWN_GRACE},
};
use std::{net::SocketAddr, path::PathBuf, process::ExitCode};

// Rendering a page allocates many small strings from every worker thread at once; glibc's
// allocator spent a quarter of the server's time in malloc and free under load (bench/ssr.sh).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
#[command(version, about = "A web console for Huawei Cloud DIS dump tasks")]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the console (the default). Configured through the environment: see README.md.
    Serve,
    /// Run the embedded DIS-compatible backend alone. Credentials come from DIS_AK, DIS_SK and
    /// DIS_PROJECT_ID; a new data directory is seeded with demo streams.
    /// Manage operators in CONSOLE_DATA_DIR's database. A password is read from
    /// CONSOLE_USER_PASSWORD, or else from the first line of standard input.
    User {
        #[command(subcommand)]
        action: UserAction,
    },
    DisBackend {
        /// Address to listen on, such as 127.0.0.1:4000.
        #[arg(long)]
        listen: SocketAddr,
        /// Directory for the backend's state and dumped files.
        #[arg(long)]
        data: PathBuf,
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

/// Exit status for a configuration or start-up problem the operator must fix.
const EXIT_CONFIG: u8 = 2;

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command.unwrap_or(Command::Serve) {
        Command::Serve => serve(),
        Command::User { action } => user(action),
        Command::DisBackend { listen, data } => dis_backend_alone(listen, data),
    }
}

fn new_password() -> Result<SecretString, String> {
    let text = match std::env::var("CONSOLE_USER_PASSWORD") {
        Ok(v) if !v.is_empty() => v,
        _ => {
            eprintln!("Password (12 to 128 characters), then Enter:");
            let mut line = String::new();
            std::io::stdin()
                .read_line(&mut line)
                .map_err(|e| format!("cannot read the password: {e}"))?;
            line.trim_end_matches(['\r', '\n']).to_owned()
        }
    };
    app::api::access::check_new_password(&text)?;
    Ok(SecretString::from(text))
}

fn user(action: UserAction) -> ExitCode {
    use app::api::access::{parse_operator_name, Role};
    use app::ports::{Accounts, OperatorChange};
    let config = match Config::from_env() {
        Ok(config) => config,
        Err(e) => {
            eprintln!("configuration error: {e}");
            return ExitCode::from(EXIT_CONFIG);
        }
    };
    let runtime = match runtime() {
        Ok(r) => r,
        Err(code) => return code,
    };
    runtime.block_on(async move {
        let opened = match server::accounts::open_all(
            &config.data_dir,
            config.admin_password.as_ref(),
        )
        .await
        {
            Ok(o) => o,
            Err(e) => {
                eprintln!(
                    "cannot open the console's database in {}: {}",
                    config.data_dir.display(),
                    e.0
                );
                return ExitCode::FAILURE;
            }
        };
        let store = opened.store;
        let change = |name: &str| parse_operator_name(name);
        let outcome: Result<(String, String, OperatorChange), String> = (|| match action {
            UserAction::List => Err(String::new()),
            UserAction::Add { name, role } => {
                let name = change(&name)?;
                let role = Role::parse(&role)?;
                Ok((
                    name.clone(),
                    "add operator".into(),
                    OperatorChange::Add {
                        name,
                        role,
                        password: new_password()?,
                    },
                ))
            }
            UserAction::Passwd { name } => Ok((
                change(&name)?,
                "set password".into(),
                OperatorChange::SetPassword(new_password()?),
            )),
            UserAction::Role { name, role } => Ok((
                change(&name)?,
                "change role".into(),
                OperatorChange::SetRole(Role::parse(&role)?),
            )),
            UserAction::Disable { name } => Ok((
                change(&name)?,
                "disable operator".into(),
                OperatorChange::SetDisabled(true),
            )),
            UserAction::Enable { name } => Ok((
                change(&name)?,
                "enable operator".into(),
                OperatorChange::SetDisabled(false),
            )),
        })();
        match outcome {
            Err(why) if why.is_empty() => match store.operators().await {
                Ok(list) => {
                    for o in list {
                        println!(
                            "{}\t{}\t{}",
                            o.name,
                            o.role.as_str(),
                            if o.disabled { "disabled" } else { "enabled" }
                        );
                    }
                    ExitCode::SUCCESS
                }
                Err(e) => {
                    eprintln!("cannot list operators: {}", e.0);
                    ExitCode::FAILURE
                }
            },
            Err(why) => {
                eprintln!("{why}");
                ExitCode::from(EXIT_CONFIG)
            }
            Ok((name, action, change)) => {
                let done = store.change_operator(&name, change).await;
                let outcome = match &done {
                    Ok(Ok(())) => "ok",
                    Ok(Err(_)) => "refused",
                    Err(_) => "failed",
                };
                let _ = store
                    .record(app::api::access::AuditEntry {
                        at_ms: server::dis_backend_now(),
                        operator: "command line".into(),
                        action: action.clone(),
                        target: name.clone(),
                        outcome: outcome.into(),
                        dis_code: None,
                        request_id: "command line".into(),
                    })
                    .await;
                match done {
                    Ok(Ok(())) => {
                        println!("{action}: {name}: done");
                        ExitCode::SUCCESS
                    }
                    Ok(Err(why)) => {
                        eprintln!("{why}");
                        ExitCode::from(EXIT_CONFIG)
                    }
                    Err(e) => {
                        eprintln!("cannot change the operator: {}", e.0);
                        ExitCode::FAILURE
                    }
                }
            }
        }
    })
}

fn runtime() -> Result<tokio::runtime::Runtime, ExitCode> {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| {
            eprintln!("cannot start the async runtime: {e}");
            ExitCode::FAILURE
        })
}

fn dis_backend_alone(listen: SocketAddr, data: PathBuf) -> ExitCode {
    let var = |name: &'static str| match std::env::var(name) {
        Ok(v) if !v.trim().is_empty() => Ok(v.trim().to_string()),
        _ => Err(name),
    };
    let (ak, sk, project_id) = match (var("DIS_AK"), var("DIS_SK"), var("DIS_PROJECT_ID")) {
        (Ok(ak), Ok(sk), Ok(p)) => (ak, sk, p),
        (a, b, c) => {
            let missing = [a.err(), b.err(), c.err()]
                .into_iter()
                .flatten()
                .collect::<Vec<_>>();
            eprintln!(
                "configuration error: {}: required by dis-backend",
                missing.join(", ")
            );
            return ExitCode::from(EXIT_CONFIG);
        }
    };
    let time_zone = match std::env::var("DIS_TIME_ZONE") {
        Ok(v) if !v.trim().is_empty() => match app::domain::ZoneOffset::parse(&v) {
            Ok(z) => z,
            Err(why) => {
                eprintln!("configuration error: DIS_TIME_ZONE: {why}");
                return ExitCode::from(EXIT_CONFIG);
            }
        },
        _ => app::domain::ZoneOffset::UTC_PLUS_8,
    };
    telemetry::init(server::config::LogFormat::Text, "info");
    let runtime = match runtime() {
        Ok(r) => r,
        Err(code) => return code,
    };
    runtime.block_on(async move {
        let listener = match tokio::net::TcpListener::bind(listen).await {
            Ok(l) => l,
            Err(e) => {
                eprintln!("configuration error: --listen: cannot listen on {listen}: {e}");
                return ExitCode::from(EXIT_CONFIG);
            }
        };
        let config = dis_backend::BackendConfig {
            access_key: ak,
            secret_key: SecretString::from(sk),
            project_id,
            tokens: Vec::new(),
            iam_users: Vec::new(),
            data_dir: data,
            time_zone,
            seed_demo: true,
            fault_dir: None,
        };
        match dis_backend::start(config, listener).await {
            Ok(handle) => {
                println!("DIS backend listening on {}", handle.endpoint());
                web::shutdown_signal().await;
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("configuration error: --data: cannot use the data directory: {e}");
                ExitCode::from(EXIT_CONFIG)
            }
        }
    })
}

fn serve() -> ExitCode {
    let config = match Config::from_env() {
        Ok(config) => config,
        Err(e) => {
            eprintln!("configuration error: {e}");
            return ExitCode::from(EXIT_CONFIG);
        }
    };
    telemetry::init(config.log_format, &config.log_filter);

    match runtime() {
        Ok(runtime) => runtime.block_on(run(config)),
        Err(code) => code,
    }
}

async fn run(config: Config) -> ExitCode {
    if let Err(e) = tokio::fs::create_dir_all(&config.data_dir).await {
        eprintln!(
            "configuration error: CONSOLE_DATA_DIR: cannot create {}: {e}",
            config.data_dir.display()
        );
        return ExitCode::from(EXIT_CONFIG);
    }
    let listener = match tokio::net::TcpListener::bind(config.site_addr).await {
        Ok(listener) => listener,
        Err(e) => {
            eprintln!(
                "configuration error: LEPTOS_SITE_ADDR: cannot listen on {}: {e}",
                config.site_addr
            );
            return ExitCode::from(EXIT_CONFIG);
        }
    };
    let addr = match listener.local_addr() {
        Ok(addr) => addr,
        Err(e) => {
            eprintln!("cannot read the listening address: {e}");
            return ExitCode::FAILURE;
        }
    };

    let accounts = match server::accounts::open_all(
        &config.data_dir,
        config.admin_password.as_ref(),
    )
    .await
    {
        Ok(a) => a,
        Err(e) => {
            eprintln!(
                    "configuration error: CONSOLE_DATA_DIR: cannot open the console's database in {}: {}",
                    config.data_dir.display(),
                    e.0
                );
            return ExitCode::from(EXIT_CONFIG);
        }
    };

    let tls = match config.tls.as_ref().map(web::tls_config).transpose() {
        Ok(tls) => tls,
        Err(why) => {
            eprintln!("configuration error: {why}");
            return ExitCode::from(EXIT_CONFIG);
        }
    };
    // Expired sessions are refused when read; this clears their rows.
    {
        use tower_sessions::ExpiredDeletion;
        let sessions = accounts.sessions.clone();
        tokio::spawn(sessions.continuously_delete_expired(std::time::Duration::from_secs(600)));
    }
    let url = match &config.public_url {
        Some(public) => public.to_string(),
        None if tls.is_some() => format!("https://{addr}"),
        None => format!("http://{addr}"),
    };
    tracing::info!(%url, dis = ?config.status().dis, "console listening");
    println!("DIS Dump Console is listening: open {url}");
    // The generated password goes to stdout once, never to the log.
    match &accounts.generated_admin_password {
        Some(password) => {
            use secrecy::ExposeSecret;
            println!(
                "First start: log in as admin with password {} (shown only this once; change it \
                 under Operators, or with `server user passwd admin`).",
                password.expose_secret()
            );
        }
        None if config.admin_password.is_some() => println!(
            "Log in as admin with the password in CONSOLE_ADMIN_PASSWORD (used when the database \
             had no operators), or as another operator."
        ),
        None => println!(
            "Log in as an existing operator. To reset admin's password: `server user passwd admin`."
        ),
    }

    let connection = match connect::connect(&config).await {
        Ok(c) => c,
        Err(e) => {
            eprintln!("configuration error: DIS: {e}");
            return ExitCode::from(EXIT_CONFIG);
        }
    };
    // Keeps the embedded backend's handle alive as long as the console runs.
    let _backend = connection.backend;
    let router = web::router(AppState::new(&config, connection.client, &accounts));
    let (signalled_tx, signalled_rx) = tokio::sync::oneshot::channel::<()>();
    let shutdown = async move {
        web::shutdown_signal().await;
        let _ = signalled_tx.send(());
    };
    let grace_expired = async move {
        if signalled_rx.await.is_ok() {
            tokio::time::sleep(SHUTDOWN_GRACE).await;
        } else {
            std::future::pending::<()>().await;
        }
    };

    tokio::select! {
        served = async move {
            match tls {
                Some(tls) => web::serve_tls(listener, router, shutdown, tls).await,
                None => web::serve(listener, router, shutdown).await,
            }
        } => match served {
            Ok(()) => {
                tracing::info!("stopped");
                ExitCode::SUCCESS
            }
            Err(e) => {
                tracing::error!(error = %e, "the server stopped with an error");
                ExitCode::FAILURE
            }
        },
        _ = grace_expired => {
            tracing::warn!(grace_secs = SHUTDOWN_GRACE.as_secs(), "requests still in flight after the grace period; exiting");
            ExitCode::FAILURE
        }
    }
}
