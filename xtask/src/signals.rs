//! Ctrl-C and termination while xtask has servers running. By default these signals end xtask at
//! once, before it could stop the servers it started; caught here instead, they let the test
//! runner finish and xtask clean up and leave.

use std::io;
use std::process::{Command, ExitStatus};
use std::sync::{Arc, Condvar, Mutex, MutexGuard, PoisonError};

use anyhow::Context;
use nix::sys::signal::{Signal, kill};
use nix::unistd::Pid;
use tokio::signal::unix::{Signal as UnixSignal, SignalKind, signal};

/// Catches SIGINT, SIGTERM and SIGHUP for the rest of xtask's life.
#[derive(Debug)]
pub struct SignalWatch {
    shared: Arc<Shared>,
}

#[derive(Debug, Default)]
struct Shared {
    state: Mutex<State>,
    signal_arrived: Condvar,
}

#[derive(Debug, Default)]
struct State {
    received: bool,
    /// Process id of the running test runner, if any.
    runner: Option<i32>,
}

impl SignalWatch {
    /// Starts catching the signals, on a thread of its own.
    pub fn install() -> anyhow::Result<Self> {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .context("cannot build the signal runtime")?;
        // Registered before returning, so no signal in between falls back to the default.
        let (interrupt, terminate, hangup) = {
            let _runtime_context = runtime.enter();
            (
                signal(SignalKind::interrupt()).context("cannot catch SIGINT")?,
                signal(SignalKind::terminate()).context("cannot catch SIGTERM")?,
                signal(SignalKind::hangup()).context("cannot catch SIGHUP")?,
            )
        };
        let shared = Arc::new(Shared::default());
        let watcher_shared = Arc::clone(&shared);
        std::thread::Builder::new()
            .name("signal-watch".to_owned())
            .spawn(move || {
                runtime.block_on(watch_signals(interrupt, terminate, hangup, watcher_shared));
            })
            .context("cannot start the signal thread")?;
        Ok(SignalWatch { shared })
    }

    /// Whether a signal has arrived.
    pub fn received(&self) -> bool {
        self.shared.lock().received
    }

    /// Blocks until a signal arrives.
    pub fn wait(&self) {
        let state = self.shared.lock();
        let _woken = self
            .shared
            .signal_arrived
            .wait_while(state, |state| !state.received)
            .unwrap_or_else(PoisonError::into_inner);
    }

    /// Runs `command` to its end; a SIGTERM or SIGHUP meanwhile is passed on to it as SIGTERM.
    pub fn run(&self, command: &mut Command) -> io::Result<ExitStatus> {
        let mut child = command.spawn()?;
        self.shared.lock().runner = i32::try_from(child.id()).ok();
        let status = child.wait();
        self.shared.lock().runner = None;
        status
    }
}

/// Notes every signal, for as long as xtask runs.
async fn watch_signals(
    mut interrupt: UnixSignal,
    mut terminate: UnixSignal,
    mut hangup: UnixSignal,
    shared: Arc<Shared>,
) {
    loop {
        // Ctrl-C reaches the runner directly: the terminal signals the whole foreground process
        // group. A SIGTERM or SIGHUP may be meant for xtask alone.
        let forward_to_runner = tokio::select! {
            _ = interrupt.recv() => false,
            _ = terminate.recv() => true,
            _ = hangup.recv() => true,
        };
        shared.note_signal(forward_to_runner);
    }
}

impl Shared {
    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn note_signal(&self, forward_to_runner: bool) {
        let mut state = self.lock();
        state.received = true;
        if let (true, Some(runner)) = (forward_to_runner, state.runner) {
            // The runner may have just ended; then there is nothing to stop.
            let _ = kill(Pid::from_raw(runner), Signal::SIGTERM);
        }
        self.signal_arrived.notify_all();
    }
}
