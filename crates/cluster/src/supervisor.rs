//! Running the members of a cluster as one: each member runs in its own task with a clone of one
//! shutdown signal; the first member to fail (or to stop while nothing asked it to) triggers the
//! signal, so the others drain, and is reported by name once all of them have stopped.

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

/// Runs `members` until `shutdown` fires or one fails (see the module docs).
pub async fn supervise(members: Vec<Member>, shutdown: Shutdown) -> Result<(), MemberFailure> {
    let mut running = JoinSet::new();
    let mut names = HashMap::new();
    for member in members {
        let handle = running.spawn((member.run)(shutdown.clone()));
        names.insert(handle.id(), member.name);
    }
    let mut first_failure = None;
    while let Some(joined) = running.join_next_with_id().await {
        let (member, outcome) = match joined {
            Ok((id, outcome)) => (names[&id], outcome),
            Err(error) => (
                names[&error.id()],
                Err(anyhow::anyhow!("its task ended abnormally: {error}")),
            ),
        };
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
    }
    first_failure.map_or(Ok(()), Err)
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

        let failure = supervise(members, shutdown.clone())
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

        let failure = supervise(members, Shutdown::new())
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
        let supervised = tokio::spawn(supervise(members, shutdown.clone()));

        shutdown.trigger();

        supervised
            .await
            .expect("the supervisor finishes")
            .expect("a clean stop");
        assert_eq!(drained.load(Ordering::SeqCst), 2);
    }
}
