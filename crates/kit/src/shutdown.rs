//! One shutdown signal for a whole process: SIGTERM or SIGINT (Ctrl-C), or a test, triggers it,
//! and every server holding a clone starts draining.

use std::time::Duration;

use tokio::sync::watch;

/// A cloneable shutdown signal. Servers await [`Shutdown::wait`]; anything may [`Shutdown::trigger`].
#[derive(Clone, Debug)]
pub struct Shutdown {
    sender: watch::Sender<bool>,
}

impl Default for Shutdown {
    fn default() -> Self {
        Self::new()
    }
}

impl Shutdown {
    /// A signal that nothing has triggered yet.
    pub fn new() -> Self {
        let (sender, _receiver) = watch::channel(false);
        Shutdown { sender }
    }

    /// A signal triggered by SIGTERM or SIGINT.
    pub fn on_os_signals() -> Self {
        let shutdown = Self::new();
        let trigger = shutdown.clone();
        tokio::spawn(async move {
            wait_for_os_signal().await;
            tracing::info!("shutdown signal received, draining");
            trigger.trigger();
        });
        shutdown
    }

    /// Starts the shutdown of everything holding this signal.
    pub fn trigger(&self) {
        self.sender.send_replace(true);
    }

    /// Whether shutdown has started.
    pub fn is_triggered(&self) -> bool {
        *self.sender.borrow()
    }

    /// Completes once shutdown has started (at once if it already has).
    pub async fn wait(&self) {
        let mut receiver = self.sender.subscribe();
        // The sender lives in `self`, so the channel cannot close while we wait.
        let _ = receiver.wait_for(|triggered| *triggered).await;
    }

    /// Completes `drain_timeout` after shutdown starts: the moment a draining server gives up
    /// on the requests still in flight.
    pub async fn drain_deadline(&self, drain_timeout: Duration) {
        self.wait().await;
        tokio::time::sleep(drain_timeout).await;
    }
}

async fn wait_for_os_signal() {
    let ctrl_c = async {
        if let Err(error) = tokio::signal::ctrl_c().await {
            tracing::error!(%error, "cannot listen for ctrl-c");
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(error) => {
                tracing::error!(%error, "cannot listen for sigterm");
                std::future::pending::<()>().await;
            }
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn every_clone_sees_the_trigger() {
        let shutdown = Shutdown::new();
        let waiter = shutdown.clone();
        let waiting = tokio::spawn(async move { waiter.wait().await });
        shutdown.trigger();
        waiting.await.expect("waiter finishes");
        assert!(shutdown.is_triggered());
    }
}
