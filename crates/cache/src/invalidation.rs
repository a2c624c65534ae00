//! Invalidation between processes: what one message says, and the hub that holds the shared L2,
//! publishes invalidations on its pub/sub channel and hands every received one to the local
//! caches (and to anyone else listening, such as a gateway's edge cache).

use std::sync::{Arc, RwLock};
use std::time::Duration;

use futures_util::StreamExt;
use kensho_kit::Shutdown;
use tokio::sync::watch;

use crate::SetupError;
use crate::l2::RedisLayer;
use crate::settings::RedisCacheSettings;

/// One invalidation as it travels between processes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Invalidation {
    /// Drop one key of a class.
    Key {
        /// The key class.
        class: String,
        /// The key.
        key: String,
    },
    /// Every key of a class made before this generation is obsolete.
    Generation {
        /// The key class.
        class: String,
        /// The class's new generation.
        generation: u64,
    },
    /// Messages may have been missed (the subscription was down): drop everything.
    Everything,
}

impl Invalidation {
    /// The message text: `key\n<class>\n<key>`, `generation\n<class>\n<n>` or `everything`.
    pub fn encode(&self) -> String {
        match self {
            Invalidation::Key { class, key } => format!("key\n{class}\n{key}"),
            Invalidation::Generation { class, generation } => {
                format!("generation\n{class}\n{generation}")
            }
            Invalidation::Everything => "everything".to_owned(),
        }
    }

    /// Reads a message; `None` for one this release does not know.
    pub fn decode(message: &str) -> Option<Self> {
        let mut parts = message.splitn(3, '\n');
        let kind = parts.next()?;
        if kind == "everything" {
            return Some(Invalidation::Everything);
        }
        let class = parts.next()?.to_owned();
        let rest = parts.next()?;
        match kind {
            "key" => Some(Invalidation::Key {
                class,
                key: rest.to_owned(),
            }),
            "generation" => Some(Invalidation::Generation {
                class,
                generation: rest.parse().ok()?,
            }),
            _ => None,
        }
    }
}

/// Something that reacts to invalidations.
pub type InvalidationHandler = Arc<dyn Fn(&Invalidation) + Send + Sync>;

/// One per process: the shared L2 when configured, and the invalidation handlers.
pub struct CacheHub {
    l2: Option<Arc<RedisLayer>>,
    handlers: RwLock<Vec<InvalidationHandler>>,
    /// True while the invalidation channel is subscribed.
    subscribed: watch::Sender<bool>,
}

impl CacheHub {
    /// A hub with L2 when `settings.enabled`; nothing connects before the first use.
    pub fn new(settings: &RedisCacheSettings) -> Result<Arc<Self>, SetupError> {
        let l2 = if settings.enabled {
            Some(RedisLayer::new(settings)?)
        } else {
            None
        };
        Ok(Arc::new(CacheHub {
            l2,
            handlers: RwLock::new(Vec::new()),
            subscribed: watch::Sender::new(false),
        }))
    }

    /// The shared L2, when configured.
    pub fn l2(&self) -> Option<&Arc<RedisLayer>> {
        self.l2.as_ref()
    }

    /// Returns once the invalidation channel is subscribed (at once without L2, where there is
    /// nothing to subscribe to).
    pub async fn subscribed(&self) {
        if self.l2.is_none() {
            return;
        }
        let mut receiver = self.subscribed.subscribe();
        // The sender lives as long as the hub, so waiting cannot fail.
        let _ = receiver.wait_for(|subscribed| *subscribed).await;
    }

    /// Calls `handler` for every invalidation, local or received.
    pub fn on_invalidation(&self, handler: InvalidationHandler) {
        self.handlers
            .write()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .push(handler);
    }

    /// Applies an invalidation here and publishes it to every other process.
    pub async fn publish(&self, invalidation: Invalidation) {
        self.dispatch(&invalidation);
        if let Some(l2) = &self.l2 {
            l2.publish(&invalidation.encode()).await;
        }
    }

    fn dispatch(&self, invalidation: &Invalidation) {
        let handlers = self
            .handlers
            .read()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .clone();
        for handler in handlers {
            handler(invalidation);
        }
    }

    /// Subscribes to the invalidation channel until `shutdown`, resubscribing after failures;
    /// after a gap every local cache is dropped, since messages may have been missed. Does nothing
    /// without L2.
    pub fn spawn_listener(self: &Arc<Self>, shutdown: Shutdown) {
        let Some(l2) = self.l2.clone() else {
            return;
        };
        let hub = Arc::clone(self);
        tokio::spawn(async move {
            let retry = Duration::from_millis(l2.settings().retry_interval_ms.max(1));
            let mut subscribed_before = false;
            loop {
                tokio::select! {
                    () = hub.listen_once(&l2, &mut subscribed_before) => {}
                    () = shutdown.wait() => return,
                }
                tokio::select! {
                    () = tokio::time::sleep(retry) => {}
                    () = shutdown.wait() => return,
                }
            }
        });
    }

    /// One subscription, until its connection ends.
    async fn listen_once(&self, l2: &RedisLayer, subscribed_before: &mut bool) {
        let timeout = Duration::from_millis(l2.settings().timeout_ms.max(1));
        let subscription = async {
            let client = redis::Client::open(l2.settings().url.expose().as_str())?;
            let mut pubsub = client.get_async_pubsub().await?;
            pubsub.subscribe(l2.channel()).await?;
            Ok::<_, redis::RedisError>(pubsub)
        };
        let mut pubsub = match tokio::time::timeout(timeout, subscription).await {
            Ok(Ok(pubsub)) => pubsub,
            Ok(Err(error)) => {
                l2.mark(false, Some(&error.to_string()));
                return;
            }
            Err(_elapsed) => {
                l2.mark(false, Some("subscribing timed out"));
                return;
            }
        };
        if *subscribed_before {
            self.dispatch(&Invalidation::Everything);
        }
        *subscribed_before = true;
        self.subscribed.send_replace(true);
        let mut messages = pubsub.on_message();
        while let Some(message) = messages.next().await {
            let Ok(text) = message.get_payload::<String>() else {
                continue;
            };
            if let Some(invalidation) = Invalidation::decode(&text) {
                self.dispatch(&invalidation);
            }
        }
        self.subscribed.send_replace(false);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_invalidation_round_trips_through_its_message() {
        let invalidations = [
            Invalidation::Key {
                class: "anime".to_owned(),
                key: "a\nb".to_owned(),
            },
            Invalidation::Generation {
                class: "search".to_owned(),
                generation: 7,
            },
            Invalidation::Everything,
        ];
        for invalidation in invalidations {
            assert_eq!(
                Invalidation::decode(&invalidation.encode()),
                Some(invalidation)
            );
        }
    }
}
