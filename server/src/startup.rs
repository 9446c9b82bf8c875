//! Starting the console and the standalone DIS backend: everything between a parsed command
//! line and a running server, with one error type that decides the process's exit status.

use crate::config::{BackendSettings, Config, ConfigError};
use crate::http::{self, AppState, SHUTDOWN_GRACE};
use crate::{accounts, connect, telemetry};
use std::sync::Arc;
use std::{net::SocketAddr, path::PathBuf};

/// Why the process stops before (or instead of) serving.
#[derive(Debug, thiserror::Error)]
pub enum StartupError {
    /// Something the operator must fix in the configuration or on the command line.
    #[error("configuration error: {0}")]
    Config(String),
    /// A refused request from the command line (a bad name, a short password, the last admin).
    #[error("{0}")]
    Refused(String),
    /// The machine, not the operator: no runtime, a database that cannot be read, a server
    /// that stopped with an error.
    #[error("{0}")]
    Failed(String),
}

impl StartupError {
    /// 2 for what the operator must fix, 1 for everything else.
    pub fn exit_code(&self) -> u8 {
        match self {
            StartupError::Config(_) | StartupError::Refused(_) => 2,
            StartupError::Failed(_) => 1,
        }
    }
}

impl From<ConfigError> for StartupError {
    fn from(e: ConfigError) -> Self {
        StartupError::Config(e.to_string())
    }
}

/// A multi-threaded runtime for the process.
pub fn runtime() -> Result<tokio::runtime::Runtime, StartupError> {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|e| StartupError::Failed(format!("cannot start the async runtime: {e}")))
}

/// `server` / `server serve`: the console, until SIGINT or SIGTERM.
pub fn serve() -> Result<(), StartupError> {
    let config = Config::from_env()?;
    telemetry::init(config.log_format, &config.log_filter);
    runtime()?.block_on(run(config))
}

async fn run(mut config: Config) -> Result<(), StartupError> {
    let config_error = StartupError::Config;
    accounts::create_private_dir(&config.data_dir).map_err(|e| {
        config_error(format!(
            "CONSOLE_DATA_DIR: cannot create {}: {e}",
            config.data_dir.display()
        ))
    })?;
    // Held until the process ends: a second console, or a restore, on this directory is refused.
    let _lock = accounts::lock::acquire(&config.data_dir)
        .map_err(|e| config_error(format!("CONSOLE_DATA_DIR: {e}")))?;
    let listener = tokio::net::TcpListener::bind(config.site_addr)
        .await
        .map_err(|e| {
            config_error(format!(
                "LEPTOS_SITE_ADDR: cannot listen on {}: {e}",
                config.site_addr
            ))
        })?;
    let addr = listener
        .local_addr()
        .map_err(|e| StartupError::Failed(format!("cannot read the listening address: {e}")))?;
    // With port 0 the system chose one; the names the console answers to carry the real one.
    config.site_addr = addr;
    let accounts = accounts::open_all(&config.data_dir, config.admin_password.as_ref())
        .await
        .map_err(|e| {
            config_error(format!(
                "CONSOLE_DATA_DIR: cannot open the console's database in {}: {}",
                config.data_dir.display(),
                e.0
            ))
        })?;
    let tls = config
        .tls
        .as_ref()
        .map(http::tls_config)
        .transpose()
        .map_err(config_error)?;
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
    tracing::info!(%url, version = crate::VERSION, dis = ?config.status().dis, "console listening");
    announce(
        &config,
        &format!("DIS Dump Console is listening: open {url}"),
    );
    for line in how_to_log_in(&config, &accounts) {
        announce(&config, &line);
    }

    let connection = connect::connect(&config)
        .await
        .map_err(|e| config_error(format!("DIS: {e}")))?;
    // Keeps the embedded backend's handle alive as long as the console runs.
    let _backend = connection.backend;
    let mut state = AppState::new(&config, connection.client, &accounts).with_obs(connection.obs);
    if let Some(settings) = &config.sign_on {
        let provider = crate::sign_on::SignOn::new(settings.clone()).map_err(config_error)?;
        state = state.with_sign_on(Arc::new(provider));
    }
    crate::clock::spawn_watch(
        Arc::new(state.overview.clone()),
        state.dis.clone(),
        state.obs.clone(),
    );
    let router = http::router(state);
    let (signalled_tx, signalled_rx) = tokio::sync::oneshot::channel::<()>();
    let shutdown = async move {
        http::shutdown_signal().await;
        let _ = signalled_tx.send(());
    };
    let grace_expired = async move {
        if signalled_rx.await.is_ok() {
            tokio::time::sleep(SHUTDOWN_GRACE).await;
        } else {
            std::future::pending::<()>().await;
        }
    };
    let served = async move {
        match tls {
            Some(tls) => http::serve_tls(listener, router, shutdown, tls).await,
            None => http::serve(listener, router, shutdown).await,
        }
    };
    tokio::select! {
        served = served => match served {
            Ok(()) => {
                tracing::info!("stopped");
                Ok(())
            }
            Err(e) => {
                tracing::error!(error = %e, "the server stopped with an error");
                Err(StartupError::Failed(format!("the server stopped with an error: {e}")))
            }
        },
        _ = grace_expired => {
            tracing::warn!(grace_secs = SHUTDOWN_GRACE.as_secs(), "requests still in flight after the grace period; exiting");
            Err(StartupError::Failed("requests were still in flight after the grace period".into()))
        }
    }
}

/// A line for the person who started the console: printed as it is with text logs, and as a log
/// event with JSON logs, where every line must be one JSON object.
fn announce(config: &Config, line: &str) {
    match config.log_format {
        crate::config::LogFormat::Text => println!("{line}"),
        crate::config::LogFormat::Json => tracing::info!("{line}"),
    }
}

/// How to log in. A generated password is shown once, with text logs only: JSON logs go to a
/// collector, which must never hold it.
fn how_to_log_in(config: &Config, accounts: &accounts::Opened) -> Vec<String> {
    let mut lines = Vec::new();
    if let Some(sign_on) = &config.sign_on {
        lines.push(format!(
            "Operators sign in with {} ({}); their groups give their role.",
            sign_on.display_name, sign_on.issuer
        ));
        if !config.local_login {
            lines.push("Local logins are off (CONSOLE_LOCAL_LOGIN=off).".into());
            return lines;
        }
    }
    lines.push(match &accounts.generated_admin_password {
        Some(password) if config.log_format == crate::config::LogFormat::Text => {
            use secrecy::ExposeSecret;
            format!(
                "First start: log in as admin with password {} (shown only this once; change it \
                 under Operators, or with `server user passwd admin`).",
                password.expose_secret()
            )
        }
        Some(_) => "First start: admin was created with a generated password, which is not \
                    logged: set one with `server user passwd admin`."
            .into(),
        None if config.admin_password.is_some() => "Log in as admin with the password in \
             CONSOLE_ADMIN_PASSWORD (used when the database had no operators), or as another \
             operator."
            .into(),
        None => "Log in as an existing operator. To reset admin's password: `server user \
                 passwd admin`."
            .into(),
    });
    lines
}

/// `server dis-backend`: the embedded DIS-compatible backend alone, until SIGINT or SIGTERM.
pub fn dis_backend(
    listen: SocketAddr,
    data: PathBuf,
    obs_listen: Option<SocketAddr>,
) -> Result<(), StartupError> {
    let settings = BackendSettings::from_lookup(crate::config::env_lookup)?;
    telemetry::init(crate::config::LogFormat::Text, "info");
    runtime()?.block_on(async move {
        let listener = tokio::net::TcpListener::bind(listen).await.map_err(|e| {
            StartupError::Config(format!("--listen: cannot listen on {listen}: {e}"))
        })?;
        let obs_addr = obs_listen.unwrap_or(SocketAddr::new(listen.ip(), 0));
        let obs_listener = tokio::net::TcpListener::bind(obs_addr).await.map_err(|e| {
            StartupError::Config(format!("--obs-listen: cannot listen on {obs_addr}: {e}"))
        })?;
        let config = dis_backend::BackendConfig {
            access_key: settings.access_key,
            secret_key: settings.secret_key,
            project_id: settings.project_id,
            tokens: Vec::new(),
            iam_users: Vec::new(),
            data_dir: data,
            time_zone: settings.time_zone,
            seed_demo: true,
            demo_traffic: settings.demo_traffic,
            fault_dir: None,
            partition_quota: settings.partition_quota,
        };
        let handle = dis_backend::start(config, listener, obs_listener)
            .await
            .map_err(|e| {
                StartupError::Config(format!("--data: cannot use the data directory: {e}"))
            })?;
        println!("DIS backend listening on {}", handle.endpoint());
        println!("OBS endpoint listening on {}", handle.obs_endpoint());
        http::shutdown_signal().await;
        Ok(())
    })
}
