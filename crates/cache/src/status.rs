//! Which layer answered a read and whether the value was stale, in the RFC 9211 `Cache-Status`
//! form that travels as gRPC metadata to the gateway.

/// The gRPC metadata key carrying a [`CacheStatus`].
pub const CACHE_STATUS_METADATA: &str = "kensho-cache-status";

/// Where a value came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Layer {
    /// This process's memory.
    L1,
    /// The shared Redis.
    L2,
    /// The loader: storage or the upstream.
    Origin,
}

impl Layer {
    /// The label used in metrics and headers.
    pub fn as_str(self) -> &'static str {
        match self {
            Layer::L1 => "l1",
            Layer::L2 => "l2",
            Layer::Origin => "origin",
        }
    }
}

/// How one read was answered.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CacheStatus {
    /// The layer that had the value.
    pub layer: Layer,
    /// Served past its soft TTL (a refresh runs or the loader failed).
    pub stale: bool,
    /// Seconds of freshness left; negative when stale.
    pub ttl_seconds: i64,
}

impl CacheStatus {
    /// The RFC 9211 member for a cache named `cache_name`, e.g.
    /// `kensho-catalog; hit; ttl=3599; detail=l1` or `kensho-catalog; fwd=miss; stored`.
    pub fn header_member(&self, cache_name: &str) -> String {
        match self.layer {
            Layer::Origin => format!("{cache_name}; fwd=miss; stored"),
            layer => format!(
                "{cache_name}; hit; ttl={}; detail={}",
                self.ttl_seconds,
                layer.as_str()
            ),
        }
    }
}

/// A value (or a cached "not found") and how it was found.
#[derive(Clone, Debug)]
pub struct Lookup<V> {
    /// The value; `None` when the loader found nothing.
    pub value: Option<V>,
    /// How the read was answered.
    pub status: CacheStatus,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_stale_hit_says_so_with_a_negative_ttl() {
        let status = CacheStatus {
            layer: Layer::L2,
            stale: true,
            ttl_seconds: -4,
        };
        assert_eq!(
            status.header_member("kensho-catalog"),
            "kensho-catalog; hit; ttl=-4; detail=l2"
        );
    }
}
