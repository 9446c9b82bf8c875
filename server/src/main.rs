//! `server`: the DIS dump console.

use clap::{Parser, Subcommand};
use server::{
    config::Config,
    telemetry,
    web::{self, AppState, SHUTDOWN_GRACE},
};
use std::process::ExitCode;

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
}

/// Exit status for a configuration or start-up problem the operator must fix.
const EXIT_CONFIG: u8 = 2;

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command.unwrap_or(Command::Serve) {
        Command::Serve => serve(),
    }
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

    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(e) => {
            eprintln!("cannot start the async runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    runtime.block_on(run(config))
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

    let router = web::router(AppState::new(&config));
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
