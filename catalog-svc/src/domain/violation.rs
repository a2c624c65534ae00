//! One invalid field of a request, reported back to the caller as a gRPC `BadRequest` detail.

/// A field that failed validation, with a message a person can act on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FieldViolation {
    /// The request field, as the caller named it.
    pub field: String,
    /// Why it is invalid.
    pub description: String,
}

impl FieldViolation {
    /// A violation of `field`.
    pub fn new(field: impl Into<String>, description: impl Into<String>) -> Self {
        FieldViolation {
            field: field.into(),
            description: description.into(),
        }
    }
}
