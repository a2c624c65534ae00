//! The Redis session store of the distributed deployment. Keys (under the configured prefix):
//! `session:{id}` (hash: account_id, device_id, refresh_hash, upstream), `refresh:{hash}` → id,
//! `used:{hash}` → id; all expire with the idle timeout and slide on use. Multi-key changes run
//! as Lua scripts, so they are atomic. The pool connects lazily and reconnects by itself.

use std::collections::HashMap;
use std::future::Future;
use std::time::Duration;

use async_trait::async_trait;
use deadpool_redis::Pool;
use redis::{RedisError, Script};

use super::{RefreshLookup, SessionStore, StoreError, StoredSession, whole_seconds};
use crate::refresh::RefreshHash;
use crate::settings::StoreSettings;

const ROTATE_SCRIPT: &str = r"
if redis.call('HGET', KEYS[1], 'refresh_hash') ~= ARGV[1] then return 0 end
redis.call('HSET', KEYS[1], 'refresh_hash', ARGV[2])
redis.call('EXPIRE', KEYS[1], ARGV[3])
redis.call('DEL', KEYS[2])
redis.call('SET', KEYS[3], ARGV[4], 'EX', ARGV[3])
redis.call('SET', KEYS[4], ARGV[4], 'EX', ARGV[3])
return 1
";

const TOUCH_SCRIPT: &str = r"
local fields = redis.call('HGETALL', KEYS[1])
if #fields == 0 then return fields end
redis.call('EXPIRE', KEYS[1], ARGV[1])
local hash = redis.call('HGET', KEYS[1], 'refresh_hash')
if hash then redis.call('EXPIRE', ARGV[2] .. hash, ARGV[1]) end
return fields
";

const REPLACE_UPSTREAM_SCRIPT: &str = r"
if redis.call('EXISTS', KEYS[1]) == 1 then redis.call('HSET', KEYS[1], 'upstream', ARGV[1]) end
return 1
";

const DELETE_SCRIPT: &str = r"
local hash = redis.call('HGET', KEYS[1], 'refresh_hash')
redis.call('DEL', KEYS[1])
if hash then redis.call('DEL', ARGV[1] .. hash) end
return 1
";

/// Sessions in Redis.
#[derive(Clone)]
pub struct RedisSessionStore {
    pool: Pool,
    prefix: String,
    timeout: Duration,
}

impl std::fmt::Debug for RedisSessionStore {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter
            .debug_struct("RedisSessionStore")
            .field("prefix", &self.prefix)
            .finish()
    }
}

impl RedisSessionStore {
    /// A lazily connecting store: nothing is contacted until the first call, so the service
    /// starts while Redis is still down.
    pub fn new(settings: &StoreSettings) -> anyhow::Result<Self> {
        let timeout = Duration::from_millis(settings.redis_timeout_ms.max(1));
        let pool = kensho_kit::redis::pool(
            settings.redis_url.expose(),
            settings.redis_pool_size,
            timeout,
        )
        .map_err(|error| anyhow::anyhow!("auth.store.redis_url: {error}"))?;
        Ok(RedisSessionStore {
            pool,
            prefix: settings.redis_key_prefix.clone(),
            timeout,
        })
    }

    /// Sets the pool gauges (`redis_pool_connections{pool="sessions"}`, ...) to the pool's
    /// state now: called at every scrape.
    pub fn record_pool_metrics(&self) {
        kensho_kit::redis::record_pool_metrics("sessions", &self.pool);
    }

    fn session_key(&self, session_id: &str) -> String {
        format!("{}session:{session_id}", self.prefix)
    }

    fn refresh_prefix(&self) -> String {
        format!("{}refresh:", self.prefix)
    }

    fn used_key(&self, hash: &RefreshHash) -> String {
        format!("{}used:{}", self.prefix, hash.to_hex())
    }

    /// Runs `call` on a pooled connection within the timeout.
    async fn with_connection<T, F, Fut>(&self, call: F) -> Result<T, StoreError>
    where
        F: FnOnce(deadpool_redis::Connection) -> Fut,
        Fut: Future<Output = Result<T, RedisError>>,
    {
        let attempt = async {
            let connection = self
                .pool
                .get()
                .await
                .map_err(|error| StoreError::Unavailable(error.to_string()))?;
            call(connection).await.map_err(redis_error)
        };
        tokio::time::timeout(self.timeout, attempt)
            .await
            .map_err(|_| StoreError::Unavailable("redis timed out".to_owned()))?
    }
}

fn redis_error(error: RedisError) -> StoreError {
    if error.is_io_error()
        || error.is_connection_dropped()
        || error.is_connection_refusal()
        || error.is_timeout()
    {
        StoreError::Unavailable(error.to_string())
    } else {
        StoreError::Backend(error.to_string())
    }
}

fn session_from_fields(
    session_id: &str,
    mut fields: HashMap<String, String>,
) -> Result<Option<StoredSession>, StoreError> {
    if fields.is_empty() {
        return Ok(None);
    }
    let mut take = |name: &str| {
        fields
            .remove(name)
            .ok_or_else(|| StoreError::Backend(format!("session without {name}")))
    };
    let refresh_hash = RefreshHash::from_hex(&take("refresh_hash")?)
        .ok_or_else(|| StoreError::Backend("malformed refresh hash".to_owned()))?;
    Ok(Some(StoredSession {
        session_id: session_id.to_owned(),
        account_id: take("account_id")?,
        device_id: take("device_id")?,
        refresh_hash,
        upstream: take("upstream")?,
    }))
}

#[async_trait]
impl SessionStore for RedisSessionStore {
    async fn create(
        &self,
        session: &StoredSession,
        idle_timeout: Duration,
    ) -> Result<(), StoreError> {
        let seconds = whole_seconds(idle_timeout);
        let session_key = self.session_key(&session.session_id);
        let refresh_key = format!("{}{}", self.refresh_prefix(), session.refresh_hash.to_hex());
        self.with_connection(|mut connection| async move {
            redis::pipe()
                .atomic()
                .hset_multiple(
                    &session_key,
                    &[
                        ("account_id", session.account_id.as_str()),
                        ("device_id", session.device_id.as_str()),
                        ("refresh_hash", session.refresh_hash.to_hex().as_str()),
                        ("upstream", session.upstream.as_str()),
                    ],
                )
                .ignore()
                .expire(&session_key, seconds)
                .ignore()
                .set_ex(&refresh_key, &session.session_id, seconds.unsigned_abs())
                .ignore()
                .query_async::<()>(&mut connection)
                .await
        })
        .await
    }

    async fn find_by_refresh(&self, hash: &RefreshHash) -> Result<RefreshLookup, StoreError> {
        let refresh_key = format!("{}{}", self.refresh_prefix(), hash.to_hex());
        let used_key = self.used_key(hash);
        let (current, used): (Option<String>, Option<String>) = self
            .with_connection(|mut connection| async move {
                redis::pipe()
                    .get(&refresh_key)
                    .get(&used_key)
                    .query_async(&mut connection)
                    .await
            })
            .await?;
        if let Some(session_id) = current {
            let session_key = self.session_key(&session_id);
            let fields: HashMap<String, String> = self
                .with_connection(|mut connection| async move {
                    redis::cmd("HGETALL")
                        .arg(&session_key)
                        .query_async(&mut connection)
                        .await
                })
                .await?;
            if let Some(session) = session_from_fields(&session_id, fields)? {
                return Ok(RefreshLookup::Current(session));
            }
        }
        Ok(match used {
            Some(session_id) => RefreshLookup::Used { session_id },
            None => RefreshLookup::Unknown,
        })
    }

    async fn rotate_refresh(
        &self,
        session_id: &str,
        old: &RefreshHash,
        new: &RefreshHash,
        idle_timeout: Duration,
    ) -> Result<bool, StoreError> {
        let refresh_prefix = self.refresh_prefix();
        let keys = [
            self.session_key(session_id),
            format!("{refresh_prefix}{}", old.to_hex()),
            format!("{refresh_prefix}{}", new.to_hex()),
            self.used_key(old),
        ];
        let arguments = [
            old.to_hex(),
            new.to_hex(),
            whole_seconds(idle_timeout).to_string(),
            session_id.to_owned(),
        ];
        let rotated: i64 = self
            .with_connection(|mut connection| async move {
                let script = Script::new(ROTATE_SCRIPT);
                let mut invocation = script.prepare_invoke();
                invocation.key(&keys[..]).arg(&arguments[..]);
                invocation.invoke_async(&mut connection).await
            })
            .await?;
        Ok(rotated == 1)
    }

    async fn touch(
        &self,
        session_id: &str,
        idle_timeout: Duration,
    ) -> Result<Option<StoredSession>, StoreError> {
        let session_key = self.session_key(session_id);
        let seconds = whole_seconds(idle_timeout);
        let refresh_prefix = self.refresh_prefix();
        let fields: HashMap<String, String> = self
            .with_connection(|mut connection| async move {
                Script::new(TOUCH_SCRIPT)
                    .key(&session_key)
                    .arg(seconds)
                    .arg(&refresh_prefix)
                    .invoke_async(&mut connection)
                    .await
            })
            .await?;
        session_from_fields(session_id, fields)
    }

    async fn replace_upstream(&self, session_id: &str, upstream: &str) -> Result<(), StoreError> {
        let session_key = self.session_key(session_id);
        self.with_connection(|mut connection| async move {
            Script::new(REPLACE_UPSTREAM_SCRIPT)
                .key(&session_key)
                .arg(upstream)
                .invoke_async::<i64>(&mut connection)
                .await
        })
        .await?;
        Ok(())
    }

    async fn delete(&self, session_id: &str) -> Result<(), StoreError> {
        let session_key = self.session_key(session_id);
        let refresh_prefix = self.refresh_prefix();
        self.with_connection(|mut connection| async move {
            Script::new(DELETE_SCRIPT)
                .key(&session_key)
                .arg(&refresh_prefix)
                .invoke_async::<i64>(&mut connection)
                .await
        })
        .await?;
        Ok(())
    }

    async fn ping(&self) -> Result<(), StoreError> {
        self.with_connection(|mut connection| async move {
            redis::cmd("PING")
                .query_async::<String>(&mut connection)
                .await
        })
        .await?;
        Ok(())
    }
}
