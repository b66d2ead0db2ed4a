//! The real server on a loopback port, serving a state of the caller's: what the server's
//! tests, its example and the benchmarks run devices against. Plain HTTP, which
//! `porta-server serve` allows on loopback only.

use std::io;
use std::net::SocketAddr;

use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

use crate::ServerState;

/// A running server on 127.0.0.1. Dropping it stops serving.
#[derive(Debug)]
pub struct LoopbackServer {
    /// `http://127.0.0.1:<port>`, what a device's sync client is given.
    pub base: String,
    pub address: SocketAddr,
    state: ServerState,
    running: Option<(oneshot::Sender<()>, JoinHandle<io::Result<()>>)>,
}

impl LoopbackServer {
    /// Serves `state` on a free port of 127.0.0.1 (inside a tokio runtime).
    pub async fn start(state: ServerState) -> io::Result<LoopbackServer> {
        let listener = TcpListener::bind("127.0.0.1:0").await?;
        let address = listener.local_addr()?;
        let mut server = LoopbackServer { base: format!("http://{address}"), address, state, running: None };
        server.serve(listener);
        Ok(server)
    }

    fn serve(&mut self, listener: TcpListener) {
        let (stop, stopped) = oneshot::channel::<()>();
        let running = tokio::spawn(crate::serve_state(listener, self.state.clone(), async {
            let _ = stopped.await;
        }));
        self.running = Some((stop, running));
    }

    /// Stops serving; the storage keeps what it holds.
    pub async fn halt(&mut self) -> io::Result<()> {
        match self.running.take() {
            Some((stop, running)) => {
                let _ = stop.send(());
                running.await.map_err(io::Error::other)?
            }
            None => Ok(()),
        }
    }

    /// Serves again, on the same address and with the same storage.
    pub async fn resume(&mut self) -> io::Result<()> {
        let listener = TcpListener::bind(self.address).await?;
        self.serve(listener);
        Ok(())
    }
}

impl Drop for LoopbackServer {
    fn drop(&mut self) {
        if let Some((stop, _)) = self.running.take() {
            let _ = stop.send(());
        }
    }
}
