//! The access policy: who may see which brand, and who may do what there. Every request passes
//! through `authorize` (called by the guard) before any use case runs.

use crate::ids::{BrandId, UserId};
use crate::types::{BrandRole, StaffRole};
use crate::{Error, Result};
use serde::{Deserialize, Serialize};

/// What an API key may do for its brand.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum KeyScope {
    Read,
    ReadWrite,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Membership {
    pub brand_id: BrandId,
    pub role: BrandRole,
}

/// A signed-in person, with everything the policy needs to decide.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Person {
    pub user_id: UserId,
    /// How the person is named in case histories.
    pub display_name: String,
    pub staff_role: Option<StaffRole>,
    pub memberships: Vec<Membership>,
    /// Brands whose account manager this person is.
    pub managed_brands: Vec<BrandId>,
}

/// Who is making a request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Actor {
    Anonymous,
    Person(Person),
    ApiKey { brand_id: BrandId, scope: KeyScope },
}

/// Something done within one brand's scope.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Action {
    ViewBrand,
    FileReport,
    DecideFlag,
    AnswerAppeal,
    Withdraw,
    Retract,
    ManageMembers,
    ManageApiKeys,
    ManageWebhooks,
    ManageIpRights,
    VerifyIpRight,
    ReviewReport,
    Arbitrate,
    RetryTakedown,
    ManageProgramme,
    /// Read the brand's audit log (its admins and its staff).
    ReadAudit,
}

impl Action {
    pub const ALL: [Action; 16] = [
        Action::ViewBrand,
        Action::FileReport,
        Action::DecideFlag,
        Action::AnswerAppeal,
        Action::Withdraw,
        Action::Retract,
        Action::ManageMembers,
        Action::ManageApiKeys,
        Action::ManageWebhooks,
        Action::ManageIpRights,
        Action::VerifyIpRight,
        Action::ReviewReport,
        Action::Arbitrate,
        Action::RetryTakedown,
        Action::ManageProgramme,
        Action::ReadAudit,
    ];

    /// Whether the action is more than viewing: read-only keys and viewers may not (it changes
    /// something, or reads what only admins and staff read: the audit log).
    pub fn is_write(self) -> bool {
        self != Action::ViewBrand
    }
}

/// The staff area a `/manager/…` or `/admin/…` route belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StaffArea {
    /// Account managers (for their brands) and operators (for all).
    Manager,
    /// Operators only.
    Admin,
}

/// In what capacity an actor acts on a brand: recorded with every step ("manager X for brand Y").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Capacity {
    Member(BrandRole),
    AccountManager,
    Operator,
    Key(KeyScope),
}

fn member_may(role: BrandRole, action: Action) -> bool {
    use Action::*;
    match role {
        BrandRole::BrandViewer => action == ViewBrand,
        BrandRole::BrandAgent => {
            matches!(
                action,
                ViewBrand | FileReport | DecideFlag | AnswerAppeal | Withdraw | Retract
            )
        }
        BrandRole::BrandAdmin => matches!(
            action,
            ViewBrand
                | FileReport
                | DecideFlag
                | AnswerAppeal
                | Withdraw
                | Retract
                | ManageMembers
                | ManageApiKeys
                | ManageWebhooks
                | ManageIpRights
                | ReadAudit
        ),
    }
}

fn manager_may(action: Action) -> bool {
    use Action::*;
    matches!(
        action,
        ViewBrand
            | DecideFlag
            | AnswerAppeal
            | Withdraw
            | VerifyIpRight
            | ReviewReport
            | Arbitrate
            | RetryTakedown
            | ReadAudit
    )
}

fn capacity_may(capacity: Capacity, action: Action) -> bool {
    match capacity {
        Capacity::Member(role) => member_may(role, action),
        Capacity::AccountManager => manager_may(action),
        Capacity::Operator => manager_may(action) || action == Action::ManageProgramme,
        Capacity::Key(KeyScope::Read) => action == Action::ViewBrand,
        Capacity::Key(KeyScope::ReadWrite) => member_may(BrandRole::BrandAgent, action),
    }
}

/// How the actor relates to a brand, if it may see the brand at all.
pub fn capacity(actor: &Actor, brand_id: BrandId) -> Option<Capacity> {
    match actor {
        Actor::Anonymous => None,
        Actor::ApiKey {
            brand_id: own,
            scope,
        } => (*own == brand_id).then_some(Capacity::Key(*scope)),
        Actor::Person(p) => {
            if let Some(m) = p.memberships.iter().find(|m| m.brand_id == brand_id) {
                return Some(Capacity::Member(m.role));
            }
            match p.staff_role {
                Some(StaffRole::Operator) => Some(Capacity::Operator),
                Some(StaffRole::AccountManager) if p.managed_brands.contains(&brand_id) => {
                    Some(Capacity::AccountManager)
                }
                _ => None,
            }
        }
    }
}

/// The decision for a brand-scoped action: 401 for nobody, 404 for a brand the actor may not see
/// (existence must not leak), 403 for a role that may not do it.
pub fn authorize(actor: &Actor, brand_id: BrandId, action: Action) -> Result<Capacity> {
    if *actor == Actor::Anonymous {
        return Err(Error::Unauthenticated);
    }
    let capacity = capacity(actor, brand_id).ok_or(Error::NotFound)?;
    if capacity_may(capacity, action) {
        Ok(capacity)
    } else {
        Err(Error::Forbidden("your role does not allow this".into()))
    }
}

/// The decision for a staff area: anyone who is not staff of that area gets 404.
pub fn authorize_staff(actor: &Actor, area: StaffArea) -> Result<StaffRole> {
    match actor {
        Actor::Anonymous => Err(Error::Unauthenticated),
        Actor::Person(Person {
            staff_role: Some(role),
            ..
        }) => match (area, role) {
            (StaffArea::Admin, StaffRole::AccountManager) => Err(Error::NotFound),
            _ => Ok(*role),
        },
        _ => Err(Error::NotFound),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use Action::*;

    fn brand(n: u8) -> BrandId {
        BrandId(uuid::Uuid::from_bytes([n; 16]))
    }

    fn person(staff: Option<StaffRole>, role: Option<BrandRole>) -> Actor {
        Actor::Person(Person {
            user_id: UserId(uuid::Uuid::from_bytes([9; 16])),
            display_name: "Test Person".into(),
            staff_role: staff,
            memberships: role
                .map(|role| Membership {
                    brand_id: brand(1),
                    role,
                })
                .into_iter()
                .collect(),
            managed_brands: if staff == Some(StaffRole::AccountManager) {
                vec![brand(1)]
            } else {
                vec![]
            },
        })
    }

    /// Every actor kind × every action on its own brand: the whole policy in one table.
    #[test]
    fn decision_table_on_own_brand() {
        let admin = person(None, Some(BrandRole::BrandAdmin));
        let agent = person(None, Some(BrandRole::BrandAgent));
        let viewer = person(None, Some(BrandRole::BrandViewer));
        let manager = person(Some(StaffRole::AccountManager), None);
        let operator = person(Some(StaffRole::Operator), None);
        let read_key = Actor::ApiKey {
            brand_id: brand(1),
            scope: KeyScope::Read,
        };
        let write_key = Actor::ApiKey {
            brand_id: brand(1),
            scope: KeyScope::ReadWrite,
        };
        // columns: admin, agent, viewer, manager, operator, read key, write key
        let table: [(Action, [bool; 7]); 16] = [
            (ViewBrand, [true, true, true, true, true, true, true]),
            (FileReport, [true, true, false, false, false, false, true]),
            (DecideFlag, [true, true, false, true, true, false, true]),
            (AnswerAppeal, [true, true, false, true, true, false, true]),
            (Withdraw, [true, true, false, true, true, false, true]),
            (Retract, [true, true, false, false, false, false, true]),
            (
                ManageMembers,
                [true, false, false, false, false, false, false],
            ),
            (
                ManageApiKeys,
                [true, false, false, false, false, false, false],
            ),
            (
                ManageWebhooks,
                [true, false, false, false, false, false, false],
            ),
            (
                ManageIpRights,
                [true, false, false, false, false, false, false],
            ),
            (
                VerifyIpRight,
                [false, false, false, true, true, false, false],
            ),
            (
                ReviewReport,
                [false, false, false, true, true, false, false],
            ),
            (Arbitrate, [false, false, false, true, true, false, false]),
            (
                RetryTakedown,
                [false, false, false, true, true, false, false],
            ),
            (
                ManageProgramme,
                [false, false, false, false, true, false, false],
            ),
            (ReadAudit, [true, false, false, true, true, false, false]),
        ];
        assert_eq!(table.len(), Action::ALL.len());
        let actors = [
            &admin, &agent, &viewer, &manager, &operator, &read_key, &write_key,
        ];
        for (action, expected) in table {
            for (actor, allowed) in actors.iter().zip(expected) {
                let got = authorize(actor, brand(1), action);
                if allowed {
                    assert!(got.is_ok(), "{actor:?} should be allowed {action:?}");
                } else {
                    assert_eq!(
                        got.unwrap_err().status(),
                        403,
                        "{actor:?} must be refused {action:?}"
                    );
                }
            }
        }
    }

    #[test]
    fn other_brands_are_invisible_and_anonymous_is_unauthenticated() {
        let outsiders = [
            person(None, Some(BrandRole::BrandAdmin)),
            person(Some(StaffRole::AccountManager), None),
            Actor::ApiKey {
                brand_id: brand(1),
                scope: KeyScope::ReadWrite,
            },
        ];
        for actor in &outsiders {
            for action in Action::ALL {
                assert_eq!(
                    authorize(actor, brand(2), action),
                    Err(Error::NotFound),
                    "{actor:?} {action:?}"
                );
            }
        }
        for action in Action::ALL {
            assert_eq!(
                authorize(&Actor::Anonymous, brand(1), action),
                Err(Error::Unauthenticated)
            );
        }
        // Operators see every brand.
        let operator = person(Some(StaffRole::Operator), None);
        assert_eq!(
            authorize(&operator, brand(2), ViewBrand),
            Ok(Capacity::Operator)
        );
    }

    #[test]
    fn membership_wins_over_staff_role_and_staff_areas_hide_from_others() {
        let both = Actor::Person(Person {
            user_id: UserId(uuid::Uuid::nil()),
            display_name: "Both".into(),
            staff_role: Some(StaffRole::Operator),
            memberships: vec![Membership {
                brand_id: brand(1),
                role: BrandRole::BrandViewer,
            }],
            managed_brands: vec![],
        });
        assert_eq!(
            capacity(&both, brand(1)),
            Some(Capacity::Member(BrandRole::BrandViewer))
        );

        let agent = person(None, Some(BrandRole::BrandAgent));
        let manager = person(Some(StaffRole::AccountManager), None);
        let operator = person(Some(StaffRole::Operator), None);
        let key = Actor::ApiKey {
            brand_id: brand(1),
            scope: KeyScope::ReadWrite,
        };
        for (actor, manager_area, admin_area) in [
            (&agent, Err(Error::NotFound), Err(Error::NotFound)),
            (&key, Err(Error::NotFound), Err(Error::NotFound)),
            (
                &manager,
                Ok(StaffRole::AccountManager),
                Err(Error::NotFound),
            ),
            (&operator, Ok(StaffRole::Operator), Ok(StaffRole::Operator)),
            (
                &Actor::Anonymous,
                Err(Error::Unauthenticated),
                Err(Error::Unauthenticated),
            ),
        ] {
            assert_eq!(
                authorize_staff(actor, StaffArea::Manager),
                manager_area,
                "{actor:?}"
            );
            assert_eq!(
                authorize_staff(actor, StaffArea::Admin),
                admin_area,
                "{actor:?}"
            );
        }
    }
}
