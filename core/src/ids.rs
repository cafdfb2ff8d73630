//! Typed identifiers: UUIDs that cannot be mixed up with one another.

use crate::{Error, Result};
use serde::{Deserialize, Serialize};

macro_rules! uuid_id {
    ($(#[$doc:meta])* $name:ident, $field:literal) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
        #[serde(transparent)]
        pub struct $name(pub uuid::Uuid);

        impl $name {
            /// Parses a path or body value; anything but a UUID is a 400 naming the field.
            pub fn parse(s: &str) -> Result<Self> {
                uuid::Uuid::try_parse(s)
                    .map($name)
                    .map_err(|_| Error::invalid($field, "must be a UUID"))
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                self.0.hyphenated().fmt(f)
            }
        }
    };
}

uuid_id!(
    /// A brand (rights holder) taking part in the programme.
    BrandId,
    "brand_id"
);
uuid_id!(
    /// A person: brand member or marketplace staff.
    UserId,
    "user_id"
);
uuid_id!(
    /// A pending invitation to join a brand (or to set a first password).
    InvitationId,
    "invitation_id"
);
uuid_id!(
    /// A registered intellectual-property right of a brand.
    IpRightId,
    "ip_right_id"
);
uuid_id!(
    /// One listing, one brand: a case.
    CaseId,
    "case_id"
);
uuid_id!(
    /// An uploaded evidence file.
    FileId,
    "file_id"
);
uuid_id!(
    /// An action for the marketplace (also its idempotency key).
    ActionId,
    "action_id"
);
