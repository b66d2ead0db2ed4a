//! The `porta-server` command: the central area server and, later, its administration.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;

use clap::{Parser, Subcommand};
use tokio::net::TcpListener;

#[derive(Debug, Parser)]
#[command(name = "porta-server", version, about = "The central area server of an Ambito for Porta")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Serve devices until interrupted (Ctrl+C).
    Serve {
        /// Address and port to listen on.
        #[arg(long, env = "PORTA_LISTEN", default_value = "127.0.0.1:8650")]
        listen: SocketAddr,
        /// The folder where the server keeps its database.
        #[arg(long, env = "PORTA_SERVER_DATA", default_value = "porta-server-data")]
        data_dir: PathBuf,
    },
}

#[tokio::main]
async fn main() -> std::process::ExitCode {
    porta_server::telemetry::init();
    match Cli::parse().command {
        Command::Serve { listen, data_dir } => {
            let storage = match std::fs::create_dir_all(&data_dir).map_err(|error| error.to_string()).and_then(|()| {
                porta_server::storage::sqlite::SqliteStore::open(&data_dir.join("server.db"))
                    .map_err(|error| error.to_string())
            }) {
                Ok(storage) => Arc::new(storage),
                Err(error) => {
                    eprintln!(
                        "porta-server: cannot open the database in {}: {error}. Check that the folder exists and is writable, or choose another with --data-dir.",
                        data_dir.display()
                    );
                    return std::process::ExitCode::from(2);
                }
            };
            let listener = match TcpListener::bind(listen).await {
                Ok(listener) => listener,
                Err(error) => {
                    eprintln!(
                        "porta-server: cannot listen on {listen}: {error}. Choose a free port with --listen, e.g. --listen 127.0.0.1:8651."
                    );
                    return std::process::ExitCode::from(2);
                }
            };
            tracing::info!(address = %listen, "serving");
            let shutdown = async {
                let _ = tokio::signal::ctrl_c().await;
            };
            if let Err(error) = porta_server::serve(listener, storage, shutdown).await {
                eprintln!("porta-server: stopped: {error}");
                return std::process::ExitCode::FAILURE;
            }
            std::process::ExitCode::SUCCESS
        }
    }
}
