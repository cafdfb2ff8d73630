//! Validated domain values: built only through `parse`, so a value that exists is a valid one.

use crate::reasons::Reason;
use crate::{Error, Result};
use serde::{Deserialize, Serialize};

/// An email address, trimmed and lower-cased (the identity of a user).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Email(String);

impl Email {
    pub fn parse(raw: &str) -> Result<Self> {
        let s = raw.trim().to_lowercase();
        let bad = || Error::invalid("email", Reason::Email);
        if s.is_empty() || s.len() > 254 || s.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Err(bad());
        }
        let (local, domain) = s.split_once('@').ok_or_else(bad)?;
        if local.is_empty() || domain.contains('@') || !domain.contains('.') {
            return Err(bad());
        }
        if domain.starts_with('.') || domain.ends_with('.') || domain.contains("..") {
            return Err(bad());
        }
        Ok(Email(s))
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A password chosen by a person: long enough to resist guessing, short enough to hash cheaply.
#[derive(Clone, PartialEq, Eq)]
pub struct NewPassword(String);

impl NewPassword {
    pub const MIN_CHARS: usize = 10;
    pub const MAX_CHARS: usize = 200;

    pub fn parse(raw: &str, field: &str) -> Result<Self> {
        let n = raw.chars().count();
        if n < Self::MIN_CHARS {
            return Err(Error::invalid(
                field,
                Reason::TooShort {
                    min: Self::MIN_CHARS,
                },
            ));
        }
        if n > Self::MAX_CHARS {
            return Err(Error::invalid(
                field,
                Reason::TooLong {
                    max: Self::MAX_CHARS,
                },
            ));
        }
        Ok(NewPassword(raw.to_owned()))
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for NewPassword {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("NewPassword(…)")
    }
}

fn bounded_text(raw: &str, field: &str, max: usize) -> Result<String> {
    let s = raw.trim();
    if s.is_empty() {
        return Err(Error::invalid(field, Reason::Empty));
    }
    if s.chars().count() > max {
        return Err(Error::invalid(field, Reason::TooLong { max }));
    }
    if s.chars().any(|c| c.is_control()) {
        return Err(Error::invalid(field, Reason::ControlCharacters));
    }
    Ok(s.to_owned())
}

/// How a person is shown to others.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct DisplayName(String);

impl DisplayName {
    pub fn parse(raw: &str) -> Result<Self> {
        bounded_text(raw, "display_name", 100).map(DisplayName)
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A brand's name as shown in the portal.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct BrandName(String);

impl BrandName {
    pub fn parse(raw: &str) -> Result<Self> {
        bounded_text(raw, "name", 100).map(BrandName)
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The marketplace's reference for a brand (`BR-AURELIA`), used in webhooks.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct BrandRef(String);

impl BrandRef {
    pub fn parse(raw: &str) -> Result<Self> {
        let s = raw.trim();
        let ok = (2..=40).contains(&s.len())
            && s.chars()
                .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '-');
        if !ok {
            return Err(Error::invalid("brand_ref", Reason::RightNumber));
        }
        Ok(BrandRef(s.to_owned()))
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A person's role within one brand.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum BrandRole {
    BrandAdmin,
    BrandAgent,
    BrandViewer,
}

impl BrandRole {
    pub const ALL: [BrandRole; 3] = [
        BrandRole::BrandAdmin,
        BrandRole::BrandAgent,
        BrandRole::BrandViewer,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            BrandRole::BrandAdmin => "brand_admin",
            BrandRole::BrandAgent => "brand_agent",
            BrandRole::BrandViewer => "brand_viewer",
        }
    }
    pub fn parse(raw: &str) -> Result<Self> {
        Self::ALL
            .into_iter()
            .find(|r| r.as_str() == raw)
            .ok_or_else(|| {
                Error::invalid("role", "must be brand_admin, brand_agent or brand_viewer")
            })
    }
}

/// A marketplace staff role; staff are not members of brands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum StaffRole {
    Operator,
    AccountManager,
}

impl StaffRole {
    pub fn as_str(self) -> &'static str {
        match self {
            StaffRole::Operator => "operator",
            StaffRole::AccountManager => "account_manager",
        }
    }
    pub fn parse(raw: &str) -> Result<Self> {
        match raw {
            "operator" => Ok(StaffRole::Operator),
            "account_manager" => Ok(StaffRole::AccountManager),
            _ => Err(Error::invalid(
                "staff_role",
                "must be operator or account_manager",
            )),
        }
    }
}

/// Where a brand stands in the programme.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum ProgrammeStatus {
    Applied,
    Enrolled,
    Suspended,
}

impl ProgrammeStatus {
    pub fn parse(raw: &str) -> Result<Self> {
        match raw {
            "applied" => Ok(ProgrammeStatus::Applied),
            "enrolled" => Ok(ProgrammeStatus::Enrolled),
            "suspended" => Ok(ProgrammeStatus::Suspended),
            _ => Err(Error::invalid(
                "programme_status",
                "must be applied, enrolled or suspended",
            )),
        }
    }
    pub fn as_str(self) -> &'static str {
        match self {
            ProgrammeStatus::Applied => "applied",
            ProgrammeStatus::Enrolled => "enrolled",
            ProgrammeStatus::Suspended => "suspended",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails_are_normalised_and_checked() {
        assert_eq!(
            Email::parse("  Alice@Aurelia.TEST ").unwrap().as_str(),
            "alice@aurelia.test"
        );
        for bad in [
            "",
            "alice",
            "@aurelia.test",
            "alice@",
            "alice@aurelia",
            "a b@x.test",
            "a@b@c.test",
            "a@.test",
            "a@x..test",
        ] {
            assert!(Email::parse(bad).is_err(), "{bad:?} accepted");
        }
        assert!(Email::parse(&format!("{}@x.test", "a".repeat(250))).is_err());
    }

    #[test]
    fn passwords_have_bounds_and_hide_in_debug() {
        assert!(NewPassword::parse("short", "password").is_err());
        assert!(NewPassword::parse(&"x".repeat(201), "password").is_err());
        let p = NewPassword::parse("jointforce-demo", "password").unwrap();
        assert!(!format!("{p:?}").contains("jointforce"));
    }

    #[test]
    fn names_refs_and_roles() {
        assert!(DisplayName::parse("   ").is_err());
        assert!(DisplayName::parse(&"n".repeat(101)).is_err());
        assert!(DisplayName::parse("Line\nbreak").is_err());
        assert_eq!(BrandName::parse(" Aurelia ").unwrap().as_str(), "Aurelia");
        assert!(BrandRef::parse("BR-AURELIA").is_ok());
        assert!(BrandRef::parse("br-aurelia").is_err());
        assert!(BrandRef::parse("B").is_err());
        for role in BrandRole::ALL {
            assert_eq!(BrandRole::parse(role.as_str()).unwrap(), role);
        }
        assert!(BrandRole::parse("owner").is_err());
        assert!(StaffRole::parse("operator").is_ok());
        assert!(StaffRole::parse("admin").is_err());
        assert_eq!(
            ProgrammeStatus::parse("enrolled").unwrap().as_str(),
            "enrolled"
        );
    }
}
