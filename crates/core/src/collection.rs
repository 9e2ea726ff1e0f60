//! Collections group products for browsing (Meta "product sets"; WhatsApp catalog sections).

use std::fmt;

use serde::{Deserialize, Serialize};
use uuid::Uuid;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct CollectionId(Uuid);

impl CollectionId {
    pub fn new_random() -> Self {
        Self(Uuid::new_v4())
    }
    pub fn from_uuid(uuid: Uuid) -> Self {
        Self(uuid)
    }
    pub fn as_uuid(&self) -> Uuid {
        self.0
    }
}

impl fmt::Display for CollectionId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

/// A named collection; names are unique in a catalog, case-insensitively.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Collection {
    pub id: CollectionId,
    pub name: String,
    /// Display order among collections, smallest first.
    pub position: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CollectionNameError {
    #[error("a collection needs a name")]
    Empty,
    #[error("collection names are at most 100 characters")]
    TooLong,
}

/// Trims and checks a collection name.
pub fn collection_name(input: &str) -> Result<String, CollectionNameError> {
    let name = input.trim();
    if name.is_empty() {
        return Err(CollectionNameError::Empty);
    }
    if name.chars().count() > 100 {
        return Err(CollectionNameError::TooLong);
    }
    Ok(name.to_owned())
}
