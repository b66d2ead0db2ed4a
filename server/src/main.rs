//! The `porta-server` command: the central area server and, later, its administration.

use std::net::SocketAddr;

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
    },
}

#[tokio::main]
async fn main() -> std::process::ExitCode {
    porta_server::telemetry::init();
    match Cli::parse().command {
        Command::Serve { listen } => {
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
            if let Err(error) = porta_server::serve(listener, shutdown).await {
                eprintln!("porta-server: stopped: {error}");
                return std::process::ExitCode::FAILURE;
            }
            std::process::ExitCode::SUCCESS
        }
    }
}
