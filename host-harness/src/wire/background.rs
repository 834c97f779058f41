//! A server on a thread of its own, for tests and the load run: its tokio runtime, the signal that
//! stops it, and the join. `serve` and `providers` both start this way.

use std::future::Future;
use std::net::SocketAddr;
use std::time::Duration;

use tokio::sync::oneshot;

/// A multi-threaded tokio runtime with I/O and timers.
pub fn runtime() -> Result<tokio::runtime::Runtime, String> {
    tokio::runtime::Builder::new_multi_thread().enable_all().build().map_err(|e| format!("tokio runtime: {e}"))
}

/// Run `serve` on `runtime` in a thread of its own. `serve` gets the receiver that fires when the
/// server is stopped; it should end then (or when serving ends). Ending the runtime afterwards drops
/// every task still running, and with them their handles (a database, a client).
pub fn spawn<F>(
    addr: SocketAddr,
    runtime: tokio::runtime::Runtime,
    serve: impl FnOnce(oneshot::Receiver<()>) -> F + Send + 'static,
) -> Running
where
    F: Future<Output = ()>,
{
    let (stop, stopped) = oneshot::channel::<()>();
    let thread = std::thread::spawn(move || {
        runtime.block_on(serve(stopped));
        runtime.shutdown_timeout(Duration::from_secs(5));
    });
    Running { addr, stop: Some(stop), thread: Some(thread) }
}

/// A server running on its own thread; `stop` (or dropping it) ends it and waits for the thread.
pub struct Running {
    /// The address it listens on.
    pub addr: SocketAddr,
    stop: Option<oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Running {
    /// `http://<addr>`.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Stop serving and wait until the thread, and everything it held, is gone.
    pub fn stop(mut self) {
        self.shutdown();
    }

    fn shutdown(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        self.shutdown();
    }
}
