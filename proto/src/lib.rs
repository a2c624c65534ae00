//! Kensho's gRPC contracts: the generated messages, clients and servers of every service.
//!
//! These types are the only types services share; each service keeps its own domain model.
#![allow(missing_docs, clippy::all)]

/// The encoded file descriptor set of every Kensho contract, for gRPC server reflection.
pub const FILE_DESCRIPTOR_SET: &[u8] = tonic::include_file_descriptor_set!("kensho_descriptor");

/// `kensho.catalog.*`
pub mod catalog {
    /// `kensho.catalog.v1`
    pub mod v1 {
        tonic::include_proto!("kensho.catalog.v1");
    }
}

/// `kensho.auth.*`
pub mod auth {
    /// `kensho.auth.v1`
    pub mod v1 {
        tonic::include_proto!("kensho.auth.v1");
    }
}

/// `kensho.stream.*`
pub mod stream {
    /// `kensho.stream.v1`
    pub mod v1 {
        tonic::include_proto!("kensho.stream.v1");
    }
}
