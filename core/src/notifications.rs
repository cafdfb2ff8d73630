//! Notifications: each person's view of the audit log, with who receives what in one table.
//!
//! An audit entry about one of the events below carries its notice kind (and, when the table
//! names a person besides the roles, that person: a report's filer, whoever escalated). A
//! person's notifications are read from the log itself, by their brands and the kinds their role
//! receives there (`recipients`); only read marks, email choices and the emails owed are stored
//! per person (migration 0016, docs/notifications.md). Emails are queued in the batch of the
//! change, one per recipient who wants it, in their language, and sent by the Cron Trigger.

use crate::access::Actor;
use crate::api::{
    LanguageRequest, MarkReadRequest, NotificationList, NotificationSetting, NotificationSettings,
    NotificationView,
};
use crate::audit::AuditKind;
use crate::case::Transition;
use crate::clock::{Millis, MINUTE};
use crate::identity::mail::{Mail, Mailer};
use crate::identity::Deps;
use crate::ids::UserId;
use crate::sql;
use crate::store::Db;
use crate::types::BrandRole;
use crate::{Error, Result};
use serde::{Deserialize, Serialize};

/// Defines `Notice` with its codes and `ALL` from one list.
macro_rules! notices {
    ($($name:ident => $code:literal),* $(,)?) => {
        /// What a notification tells of, answered and stored as its code.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
        #[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
        #[serde(rename_all = "snake_case")]
        pub enum Notice {
            $($name),*
        }

        impl Notice {
            pub const ALL: [Notice; [$(Notice::$name),*].len()] = [$(Notice::$name),*];

            pub fn as_str(self) -> &'static str {
                match self {
                    $(Notice::$name => $code),*
                }
            }
        }
    };
}

notices! {
    ReportDecided => "report_decided",
    AppealFiled => "appeal_filed",
    ArbitrationDecided => "arbitration_decided",
    RightReviewed => "right_reviewed",
    ProgrammeChanged => "programme_changed",
}

/// A person a notification goes to besides the roles, named by the case's own history.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Named {
    /// Whoever filed the report (its case's `filed` event).
    Filer,
    /// Whoever escalated the appeal (its case's latest `escalate` event).
    Escalator,
}

impl Named {
    /// The case event whose actor is the person.
    pub fn event(self) -> &'static str {
        match self {
            Named::Filer => "filed",
            Named::Escalator => "escalate",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Named::Filer => "its filer",
            Named::Escalator => "whoever escalated",
        }
    }
}

/// Who receives a notice: the brand's members in these roles, and the named person while they
/// are still one of its members (not a viewer).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Recipients {
    pub roles: &'static [BrandRole],
    pub named: Option<Named>,
}

/// THE table of who receives what. Viewers receive nothing.
pub const fn recipients(n: Notice) -> Recipients {
    use BrandRole::{BrandAdmin as Admin, BrandAgent as Agent};
    match n {
        Notice::ReportDecided => Recipients {
            roles: &[Admin],
            named: Some(Named::Filer),
        },
        Notice::AppealFiled => Recipients {
            roles: &[Admin, Agent],
            named: None,
        },
        Notice::ArbitrationDecided => Recipients {
            roles: &[Admin],
            named: Some(Named::Escalator),
        },
        Notice::RightReviewed => Recipients {
            roles: &[Admin],
            named: None,
        },
        Notice::ProgrammeChanged => Recipients {
            roles: &[Admin],
            named: None,
        },
    }
}

/// Whether a notice is emailed to someone who has not chosen: only an appeal, which carries the
/// brand's three-day deadline.
pub const fn emailed_by_default(n: Notice) -> bool {
    matches!(n, Notice::AppealFiled)
}

impl Notice {
    /// The audit entry kind the notice is a view of.
    pub fn audit_kind(self) -> AuditKind {
        match self {
            Notice::ReportDecided | Notice::AppealFiled | Notice::ArbitrationDecided => {
                AuditKind::CaseMoved
            }
            Notice::RightReviewed => AuditKind::RightReviewed,
            Notice::ProgrammeChanged => AuditKind::ProgrammeChanged,
        }
    }

    /// The event it tells of, in the words of docs/notifications.md.
    pub fn event(self) -> &'static str {
        match self {
            Notice::ReportDecided => {
                "a report approved or declined (`case_moved`: `approve`, `decline`)"
            }
            Notice::AppealFiled => "an appeal filed (`case_moved`: `appeal_filed`)",
            Notice::ArbitrationDecided => {
                "arbitration decided (`case_moved`: `arbitration_uphold`, `arbitration_reinstate`)"
            }
            Notice::RightReviewed => "an IP right verified or rejected (`right_reviewed`)",
            Notice::ProgrammeChanged => {
                "enrolment, suspension, reinstatement (`programme_changed`)"
            }
        }
    }

    /// The notice a case's move is, if any.
    pub fn of_move(t: Transition) -> Option<Notice> {
        match t {
            Transition::Approve | Transition::Decline => Some(Notice::ReportDecided),
            Transition::AppealFiled => Some(Notice::AppealFiled),
            Transition::ArbitrationUphold | Transition::ArbitrationReinstate => {
                Some(Notice::ArbitrationDecided)
            }
            _ => None,
        }
    }

    pub fn parse(raw: &str, field: &str) -> Result<Self> {
        Self::ALL
            .into_iter()
            .find(|n| n.as_str() == raw)
            .ok_or_else(|| Error::invalid(field, "is not a notification kind"))
    }

    /// The notice kinds a role receives as a role (the table read the other way).
    pub fn for_role(role: BrandRole) -> impl Iterator<Item = Notice> {
        Self::ALL
            .into_iter()
            .filter(move |n| recipients(*n).roles.contains(&role))
    }
}

/// The table as the statements read it: `[[role, notice], …]`.
pub(crate) fn role_notices_json() -> String {
    let pairs: Vec<[&str; 2]> = BrandRole::ALL
        .into_iter()
        .flat_map(|r| Notice::for_role(r).map(move |n| [r.as_str(), n.as_str()]))
        .collect();
    serde_json::to_string(&pairs).unwrap_or_default()
}

/// The roles receiving a notice as a JSON array.
pub(crate) fn roles_json(n: Notice) -> String {
    let roles: Vec<&str> = recipients(n).roles.iter().map(|r| r.as_str()).collect();
    serde_json::to_string(&roles).unwrap_or_default()
}

/// The languages emails and the app are written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[cfg_attr(feature = "openapi", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum Language {
    #[default]
    En,
    Zh,
}

impl Language {
    pub fn as_str(self) -> &'static str {
        match self {
            Language::En => "en",
            Language::Zh => "zh",
        }
    }
    pub fn parse(raw: &str) -> Language {
        if raw == "zh" {
            Language::Zh
        } else {
            Language::En
        }
    }
}

fn person(actor: &Actor) -> Result<UserId> {
    match actor {
        Actor::Person(p) => Ok(p.user_id),
        Actor::Anonymous => Err(Error::Unauthenticated),
        // Keys are a brand's, not a person's: they have no notifications.
        Actor::ApiKey { .. } => Err(Error::NotFound),
    }
}

// ---------------------------------------------------------------- reading

const PAGE: i64 = 20;

/// Query string of the list.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct NotificationQuery {
    pub cursor: Option<String>,
}

fn parse_cursor(raw: Option<&str>) -> Result<Option<(Millis, String)>> {
    let Some(raw) = raw.map(str::trim).filter(|s| !s.is_empty()) else {
        return Ok(None);
    };
    let bad = || Error::invalid("cursor", "is not a cursor this API gave out");
    let (at, id) = raw.split_once('_').ok_or_else(bad)?;
    let at = at.parse().map_err(|_| bad())?;
    let id_ok =
        !id.is_empty() && id.len() <= 36 && id.chars().all(|c| c.is_ascii_hexdigit() || c == '-');
    if !id_ok {
        return Err(bad());
    }
    Ok(Some((at, id.to_owned())))
}

/// What came of it, as a code: the status a case moved to, a right's review, a programme status.
fn outcome(details: &serde_json::Value) -> Option<String> {
    details
        .get("to")
        .or_else(|| details.get("status"))
        .and_then(|v| v.as_str())
        .map(str::to_owned)
}

fn view(r: sql::NotificationRecord) -> Option<NotificationView> {
    let details: serde_json::Value = serde_json::from_str(&r.details).unwrap_or_default();
    Some(NotificationView {
        kind: Notice::parse(&r.notice, "notice").ok()?,
        outcome: outcome(&details),
        id: r.id,
        at: r.at,
        brand_id: r.brand_id,
        brand_name: r.brand_name,
        subject_kind: r.subject_kind,
        subject_id: r.subject_id,
        subject_name: r.subject_name,
        read: r.read,
    })
}

/// The signed-in person's notifications across all their brands, newest first, a page at a
/// time, with how many are unread.
pub async fn my_notifications<D: Db>(
    deps: &Deps<'_, D>,
    actor: &Actor,
    q: &NotificationQuery,
) -> Result<NotificationList> {
    let user = person(actor)?;
    let after = parse_cursor(q.cursor.as_deref())?;
    let table = role_notices_json();
    let mut rows = sql::notification_page(deps.db, user, &table, after, PAGE + 1).await?;
    let more = rows.len() as i64 > PAGE;
    rows.truncate(PAGE as usize);
    let next_cursor = if more {
        rows.last().map(|r| format!("{}_{}", r.at, r.id))
    } else {
        None
    };
    let unread = sql::unread_notifications(deps.db, user, &table).await?;
    Ok(NotificationList {
        notifications: rows.into_iter().filter_map(view).collect(),
        unread,
        next_cursor,
    })
}

/// Most ids one request may mark read.
pub const MARK_MAX: usize = 100;

/// Marks as read everything up to a moment, or the given notifications.
pub async fn mark_read<D: Db>(
    deps: &Deps<'_, D>,
    actor: &Actor,
    req: MarkReadRequest,
) -> Result<()> {
    let user = person(actor)?;
    let ids = req.ids.unwrap_or_default();
    if req.up_to.is_none() && ids.is_empty() {
        return Err(Error::invalid("up_to", "give up_to or ids"));
    }
    if ids.len() > MARK_MAX {
        return Err(Error::invalid(
            "ids",
            format!("at most {MARK_MAX} at a time"),
        ));
    }
    if ids.iter().any(|id| {
        id.is_empty() || id.len() > 36 || !id.chars().all(|c| c.is_ascii_hexdigit() || c == '-')
    }) {
        return Err(Error::invalid("ids", "are not notification ids"));
    }
    let mut stmts = Vec::new();
    if let Some(up_to) = req.up_to {
        // Never past now: what has not happened yet cannot have been read.
        stmts.extend(sql::read_notices_up_to(user, up_to.min(deps.clock.now())));
    }
    if !ids.is_empty() {
        stmts.push(sql::read_notices(user, &serde_json::to_string(&ids)?));
    }
    deps.db.batch(stmts).await
}

/// The person's email choice for every kind.
pub async fn my_settings<D: Db>(deps: &Deps<'_, D>, actor: &Actor) -> Result<NotificationSettings> {
    let user = person(actor)?;
    let chosen = sql::notification_settings(deps.db, user).await?;
    Ok(NotificationSettings {
        settings: Notice::ALL
            .into_iter()
            .map(|kind| NotificationSetting {
                kind,
                email: chosen
                    .iter()
                    .find(|(n, _)| n == kind.as_str())
                    .map_or(emailed_by_default(kind), |(_, e)| *e),
            })
            .collect(),
    })
}

/// Sets the email choices given (kinds not given keep theirs).
pub async fn set_settings<D: Db>(
    deps: &Deps<'_, D>,
    actor: &Actor,
    req: NotificationSettings,
) -> Result<NotificationSettings> {
    let user = person(actor)?;
    if !req.settings.is_empty() {
        let rows: Vec<(&str, i64)> = req
            .settings
            .iter()
            .map(|s| (s.kind.as_str(), s.email as i64))
            .collect();
        deps.db
            .batch(vec![sql::set_notification_settings(
                user,
                &serde_json::to_string(&rows)?,
            )])
            .await?;
    }
    my_settings(deps, actor).await
}

/// Stores the language the person reads in (their emails are written in it).
pub async fn set_language<D: Db>(
    deps: &Deps<'_, D>,
    actor: &Actor,
    req: LanguageRequest,
) -> Result<()> {
    let user = person(actor)?;
    deps.db
        .batch(vec![sql::set_language(user, req.language.as_str())])
        .await
}

// ---------------------------------------------------------------- email

/// Emails sent a run at most (each is one subrequest; the run's other work needs a few hundred
/// of the 1,000 a Workers Paid invocation may make): 6,000 an hour with the cron each minute.
pub const MAIL_CHUNK: i64 = 100;
/// How long a run holds the emails it took, so that an overlapping run does not send them too.
pub const MAIL_LEASE: Millis = 5 * MINUTE;
/// Tries before an email is given up (it stays in the queue, unsent).
pub const MAIL_ATTEMPTS: i64 = 5;

/// One email's text, in its recipient's language.
pub fn mail(site_url: &str, m: &sql::OwedMail) -> Option<Mail> {
    let notice = Notice::parse(&m.notice, "notice").ok()?;
    let details: serde_json::Value = serde_json::from_str(&m.details).unwrap_or_default();
    let outcome = outcome(&details).unwrap_or_default();
    let zh = Language::parse(&m.language) == Language::Zh;
    let brand = &m.brand_name;
    let what = m.subject_name.clone().unwrap_or_default();
    let link = match (m.subject_kind.as_deref(), &m.subject_id) {
        (Some("case"), Some(c)) => format!("{site_url}/brands/{}/cases/{c}", m.brand_id),
        (Some("ip_right"), _) => format!("{site_url}/brands/{}/rights", m.brand_id),
        _ => format!("{site_url}/brands/{}", m.brand_id),
    };
    let (title, line) = if zh {
        let out = match outcome.as_str() {
            "takedown_requested" => "已批准",
            "declined" => "已拒绝",
            "upheld" => "维持下架",
            "reinstated" => "恢复商品",
            "verified" => "已验证",
            "rejected" => "已驳回",
            "enrolled" => "已加入",
            "suspended" => "已暂停",
            "applied" => "已申请",
            _ => "",
        };
        match notice {
            Notice::ReportDecided => (
                "举报已审核",
                format!("您品牌的举报「{what}」审核结果：{out}。"),
            ),
            Notice::AppealFiled => (
                "卖家已提出申诉",
                format!("卖家对「{what}」提出申诉，请在 3 天内回应。"),
            ),
            Notice::ArbitrationDecided => ("仲裁已裁决", format!("「{what}」的仲裁结果：{out}。")),
            Notice::RightReviewed => (
                "知识产权已审核",
                format!("知识产权 {what} 审核结果：{out}。"),
            ),
            Notice::ProgrammeChanged => ("计划状态已变更", format!("品牌计划状态：{out}。")),
        }
    } else {
        let out = match outcome.as_str() {
            "takedown_requested" => "approved",
            "declined" => "declined",
            "upheld" => "takedown upheld",
            "reinstated" => "listing reinstated",
            "verified" => "verified",
            "rejected" => "rejected",
            "enrolled" => "enrolled",
            "suspended" => "suspended",
            "applied" => "applied",
            other => other,
        };
        match notice {
            Notice::ReportDecided => (
                "Report reviewed",
                format!("Your brand's report \"{what}\" was {out}."),
            ),
            Notice::AppealFiled => (
                "Appeal filed",
                format!("The seller appealed \"{what}\". Answer within 3 days."),
            ),
            Notice::ArbitrationDecided => (
                "Arbitration decided",
                format!("Arbitration of \"{what}\": {out}."),
            ),
            Notice::RightReviewed => ("IP right reviewed", format!("IP right {what}: {out}.")),
            Notice::ProgrammeChanged => (
                "Programme status changed",
                format!("The brand's programme status: {out}."),
            ),
        }
    };
    let text = if zh {
        format!(
            "{name}，您好：\n\n{brand}：{line}\n\n查看：{link}\n\n可在账户页面更改邮件通知设置。\n",
            name = m.display_name
        )
    } else {
        format!(
            "Hello {name},\n\n{brand}: {line}\n\nOpen: {link}\n\nYou can change which notifications are emailed to you on your account page.\n",
            name = m.display_name
        )
    };
    Some(Mail {
        to: m.email.clone(),
        subject: format!("[{brand}] {title} — JointForce"),
        text,
    })
}

/// What a run of `send_owed_mail` did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct MailRun {
    pub sent: usize,
    /// Left leased: a run after the lease tries them again, up to `MAIL_ATTEMPTS` in all.
    pub failed: usize,
}

/// Sends a chunk of the emails owed (the Cron Trigger). One that fails does not hold back the
/// others.
pub async fn send_owed_mail<D: Db>(deps: &Deps<'_, D>, mailer: &impl Mailer) -> Result<MailRun> {
    let now = deps.clock.now();
    let lease = deps.entropy.uuid().to_string();
    deps.db
        .batch(vec![sql::lease_owed_mail(
            &lease,
            now,
            MAIL_LEASE,
            MAIL_ATTEMPTS,
            MAIL_CHUNK,
        )])
        .await?;
    let mut run = MailRun::default();
    for m in sql::leased_mail(deps.db, &lease).await? {
        let Some(message) = mail(mailer.site_url(), &m) else {
            continue;
        };
        match mailer.send(message).await {
            Ok(()) => {
                deps.db
                    .batch(vec![sql::mail_sent(&m.id, deps.clock.now())])
                    .await?;
                run.sent += 1;
            }
            Err(_) => run.failed += 1,
        }
    }
    Ok(run)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique_and_read_back() {
        for (i, n) in Notice::ALL.iter().enumerate() {
            assert_eq!(Notice::parse(n.as_str(), "k").unwrap(), *n);
            assert_eq!(serde_json::to_value(n).unwrap(), n.as_str());
            assert!(Notice::ALL[i + 1..]
                .iter()
                .all(|o| o.as_str() != n.as_str()));
        }
    }

    #[test]
    fn viewers_receive_nothing_and_only_appeals_are_emailed_by_default() {
        assert_eq!(Notice::for_role(BrandRole::BrandViewer).count(), 0);
        let emailed: Vec<_> = Notice::ALL
            .into_iter()
            .filter(|n| emailed_by_default(*n))
            .collect();
        assert_eq!(emailed, [Notice::AppealFiled]);
        assert_eq!(
            Notice::for_role(BrandRole::BrandAgent).collect::<Vec<_>>(),
            [Notice::AppealFiled]
        );
        assert_eq!(Notice::for_role(BrandRole::BrandAdmin).count(), 5);
    }
}
