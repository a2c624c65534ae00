//! Kensho's gRPC contracts: the generated messages, clients and servers of every service.
//!
//! These types are the only types services share; each service keeps its own domain model.
#![allow(missing_docs, clippy::all)]

mod redacted;

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

#[cfg(test)]
mod tests {
    use prost::Message;
    use prost_types::FileDescriptorSet;

    use super::FILE_DESCRIPTOR_SET;

    #[test]
    fn the_descriptor_set_holds_every_contract_and_the_well_known_types_they_import() {
        let set = FileDescriptorSet::decode(FILE_DESCRIPTOR_SET).expect("a descriptor set");
        let files: Vec<&str> = set.file.iter().map(|file| file.name()).collect();
        for expected in [
            "google/protobuf/timestamp.proto",
            "kensho/catalog/v1/catalog.proto",
            "kensho/auth/v1/auth.proto",
            "kensho/stream/v1/stream.proto",
        ] {
            assert!(
                files.contains(&expected),
                "{expected} missing from {files:?}"
            );
        }
        let catalog_services: Vec<&str> = set
            .file
            .iter()
            .filter(|file| file.package() == "kensho.catalog.v1")
            .flat_map(|file| file.service.iter().map(|service| service.name()))
            .collect();
        assert_eq!(catalog_services, ["CatalogService", "CatalogAdminService"]);
    }

    #[test]
    fn sync_status_times_travel_as_timestamps_and_stay_absent_when_unset() {
        let sync_status = super::catalog::v1::SyncStatus {
            started_at: Some(prost_types::Timestamp {
                seconds: 1_709_251_199,
                nanos: 0,
            }),
            ..Default::default()
        };
        let decoded =
            super::catalog::v1::SyncStatus::decode(sync_status.encode_to_vec().as_slice())
                .expect("decodes");
        assert_eq!(decoded.started_at, sync_status.started_at);
        assert_eq!(decoded.finished_at, None);
    }
}
