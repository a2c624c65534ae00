//! The play service (§5): stream tokens counted against each account's concurrent-stream limit,
//! the play response, and the HLS manifests and subtitles its URLs point to.

pub(crate) mod media;
pub(crate) mod playable;
pub(crate) mod response;
pub(crate) mod streams;
