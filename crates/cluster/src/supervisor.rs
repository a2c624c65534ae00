//! Running the members of a cluster as one: each member runs in its own task; the first member to
//! fail (or to stop while nothing asked it to) triggers the shutdown signal, so the others drain,
//! and is reported by name once all of them have stopped. Members drain in stages, callers before
//! what they call: the first stage gets the shutdown signal itself, each later stage a signal that
//! fires once shutdown has started and every earlier stage has stopped, so no member loses the
//! services its in-flight requests still need.

use std::collections::HashMap;
use std::future::Future;

use futures_util::future::BoxFuture;
use kensho_kit::Shutdown;
use tokio::task::JoinSet;

/// One named member of a cluster: something that serves until its shutdown signal fires.
pub struct Member {
    name: &'static str,
    run: Box<dyn FnOnce(Shutdown) -> BoxFuture<'static, anyhow::Result<()>> + Send>,
}

impl Member {
    /// A member called `name` that runs `run` with the cluster's shutdown signal.
    pub fn new<F, Fut>(name: &'static str, run: F) -> Self
    where
        F: FnOnce(Shutdown) -> Fut + Send + 'static,
        Fut: Future<Output = anyhow::Result<()>> + Send + 'static,
    {
        Member {
            name,
            run: Box::new(move |shutdown| Box::pin(run(shutdown))),
        }
    }
}

/// The member that stopped the cluster, and why.
#[derive(Debug, thiserror::Error)]
#[error("{member} failed: {error:#}")]
pub struct MemberFailure {
    /// Which member.
    pub member: &'static str,
    /// Why it stopped.
    pub error: anyhow::Error,
}

/// Runs `stages` of members until `shutdown` fires or one fails (see the module docs).
pub async fn supervise(stages: Vec<Vec<Member>>, shutdown: Shutdown) -> Result<(), MemberFailure> {
    let stage_signals: Vec<Shutdown> = (0..stages.len())
        .map(|stage| {
            if stage == 0 {
                shutdown.clone()
            } else {
                Shutdown::new()
            }
        })
        .collect();
    let mut still_running: Vec<usize> = stages.iter().map(Vec::len).collect();
    let mut running = JoinSet::new();
    let mut names = HashMap::new();
    for (stage, members) in stages.into_iter().enumerate() {
        for member in members {
            let handle = running.spawn((member.run)(stage_signals[stage].clone()));
            names.insert(handle.id(), (member.name, stage));
        }
    }
    let mut first_failure = None;
    let mut shutdown_seen = false;
    loop {
        let joined = tokio::select! {
            joined = running.join_next_with_id() => joined,
            () = shutdown.wait(), if !shutdown_seen => {
                shutdown_seen = true;
                release_drained_stages(&stage_signals, &still_running);
                continue;
            }
        };
        let Some(joined) = joined else { break };
        let (member, stage, outcome) = match joined {
            Ok((id, outcome)) => (names[&id].0, names[&id].1, outcome),
            Err(error) => (
                names[&error.id()].0,
                names[&error.id()].1,
                Err(anyhow::anyhow!("its task ended abnormally: {error}")),
            ),
        };
        still_running[stage] -= 1;
        let outcome = match outcome {
            Ok(()) if !shutdown.is_triggered() => {
                Err(anyhow::anyhow!("it stopped while nothing asked it to"))
            }
            other => other,
        };
        match outcome {
            Ok(()) => tracing::info!(member, "stopped"),
            Err(error) => {
                tracing::error!(
                    member,
                    error = format!("{error:#}"),
                    "cluster member failed, stopping the others"
                );
                shutdown.trigger();
                first_failure.get_or_insert(MemberFailure { member, error });
            }
        }
        if shutdown.is_triggered() {
            release_drained_stages(&stage_signals, &still_running);
        }
    }
    first_failure.map_or(Ok(()), Err)
}

/// Triggers every stage whose earlier stages have all stopped (shutdown having started).
fn release_drained_stages(stage_signals: &[Shutdown], still_running: &[usize]) {
    for (stage, signal) in stage_signals.iter().enumerate() {
        if still_running[..stage].iter().all(|&running| running == 0) {
            signal.trigger();
        }
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};

    use super::*;

    /// A member that serves until shutdown and counts how many of its kind drained.
    fn well_behaved(name: &'static str, drained: Arc<AtomicUsize>) -> Member {
        Member::new(name, move |shutdown| async move {
            shutdown.wait().await;
            drained.fetch_add(1, Ordering::SeqCst);
            Ok(())
        })
    }

    #[tokio::test]
    async fn a_failing_member_drains_the_others_and_is_named() {
        let drained = Arc::new(AtomicUsize::new(0));
        let shutdown = Shutdown::new();
        let members = vec![
            well_behaved("gateway", Arc::clone(&drained)),
            Member::new("catalog-svc", |_shutdown| async {
                Err(anyhow::anyhow!("database vanished"))
            }),
            well_behaved("auth-svc", Arc::clone(&drained)),
        ];

        let failure = supervise(vec![members], shutdown.clone())
            .await
            .expect_err("the cluster fails");

        assert_eq!(failure.member, "catalog-svc");
        assert_eq!(failure.to_string(), "catalog-svc failed: database vanished");
        assert!(shutdown.is_triggered());
        assert_eq!(drained.load(Ordering::SeqCst), 2);
    }

    #[tokio::test]
    async fn a_member_that_stops_on_its_own_is_a_failure() {
        let drained = Arc::new(AtomicUsize::new(0));
        let members = vec![
            Member::new("stream-svc", |_shutdown| async { Ok(()) }),
            well_behaved("gateway", Arc::clone(&drained)),
        ];

        let failure = supervise(vec![members], Shutdown::new())
            .await
            .expect_err("the cluster fails");

        assert_eq!(failure.member, "stream-svc");
        assert_eq!(drained.load(Ordering::SeqCst), 1);
    }

    #[tokio::test]
    async fn a_requested_shutdown_stops_every_member_cleanly() {
        let drained = Arc::new(AtomicUsize::new(0));
        let shutdown = Shutdown::new();
        let members = vec![
            well_behaved("gateway", Arc::clone(&drained)),
            well_behaved("catalog-svc", Arc::clone(&drained)),
        ];
        let supervised = tokio::spawn(supervise(vec![members], shutdown.clone()));

        shutdown.trigger();

        supervised
            .await
            .expect("the supervisor finishes")
            .expect("a clean stop");
        assert_eq!(drained.load(Ordering::SeqCst), 2);
    }

    #[tokio::test]
    async fn a_later_stage_drains_only_once_every_earlier_stage_has_stopped() {
        // Arrange
        let shutdown = Shutdown::new();
        let order = Arc::new(std::sync::Mutex::new(Vec::new()));
        let member = |name: &'static str| {
            let order = Arc::clone(&order);
            Member::new(name, move |signal: Shutdown| async move {
                signal.wait().await;
                order.lock().expect("the order lock").push(name);
                Ok(())
            })
        };
        let stages = vec![vec![member("gateway")], vec![member("catalog-svc")]];
        let supervised = tokio::spawn(supervise(stages, shutdown.clone()));

        // Act
        shutdown.trigger();
        supervised
            .await
            .expect("the supervisor finishes")
            .expect("a clean stop");

        // Assert
        assert_eq!(
            *order.lock().expect("the order lock"),
            ["gateway", "catalog-svc"]
        );
    }
}
