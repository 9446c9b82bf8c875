//! `server`: the DIS dump console.

use clap::{Parser, Subcommand};
use secrecy::SecretString;
use server::{
    config::Config,
    connect, dis_backend, telemetry,
    web::{self, AppState, SHUTDOWN_GRACE},
};
use std::{net::SocketAddr, path::PathBuf, process::ExitCode};

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
    DisBackend {
        /// Address to listen on, such as 127.0.0.1:4000.
        #[arg(long)]
        listen: SocketAddr,
        /// Directory for the backend's state and dumped files.
        #[arg(long)]
        data: PathBuf,
    },
}

/// Exit status for a configuration or start-up problem the operator must fix.
const EXIT_CONFIG: u8 = 2;

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command.unwrap_or(Command::Serve) {
        Command::Serve => serve(),
        Command::DisBackend { listen, data } => dis_backend_alone(listen, data),
    }
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

    let url = format!("http://{addr}");
    tracing::info!(%url, dis = ?config.status().dis, "console listening");
    if config.log_format == server::config::LogFormat::Text {
        println!("DIS Dump Console is listening: open {url}");
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
    let router = web::router(AppState::new(&config, connection.client));
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
        served = web::serve(listener, router, shutdown) => match served {
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
