//! IP rights: the brand registers them (with a certificate), the account manager verifies them,
//! and a report or confirmation may invoke only a verified, unexpired right of the brand's own.

use super::{optional_text, staff_scope, text, FileBody, RIGHT_KINDS};
use crate::access::{self, Action, Actor};
use crate::api::*;
use crate::audit::{AuditEntry, AuditKind, Subject};
use crate::clock::Millis;
use crate::files::{file_key, StoredFile};
use crate::identity::Deps;
use crate::ids::{BrandId, IpRightId};
use crate::notifications::Notice;
use crate::ports::FileStore;
use crate::reasons::Reason;
use crate::sql::{self, IpRightRecord};
use crate::store::Db;
use crate::{Error, Result};

pub(super) fn right_usable(r: &IpRightRecord, now: Millis) -> bool {
    r.status == "verified" && r.expires_at.is_none_or(|e| e > now)
}

fn right_view(r: IpRightRecord, now: Millis) -> IpRightView {
    let certificate = r.certificate_sha256.as_ref().map(|_| FileView {
        name: r
            .certificate_name
            .clone()
            .unwrap_or_else(|| "certificate".into()),
        content_type: r.certificate_type.clone().unwrap_or_default(),
        url: format!(
            "/api/v1/brands/{}/ip-rights/{}/certificate",
            r.brand_id, r.id
        ),
    });
    IpRightView {
        usable: right_usable(&r, now),
        id: r.id,
        kind: r.kind,
        registration_number: r.registration_number,
        jurisdiction: r.jurisdiction,
        classes: r.classes,
        owner: r.owner,
        expires_at: r.expires_at,
        status: r.status,
        review_note: r.review_note,
        certificate,
        created_at: r.created_at,
    }
}

/// The right a report or confirmation invokes: the brand's own, verified and unexpired (422).
pub(super) async fn usable_right(
    db: &impl Db,
    brand_id: BrandId,
    raw_id: &str,
    now: Millis,
) -> Result<IpRightRecord> {
    let id = IpRightId::parse(raw_id)?;
    let right = sql::ip_right(db, brand_id, id).await?;
    check_usable(right.as_ref(), now).cloned()
}

/// `usable_right` among rights already read (the brand's own): many confirmations, one read.
pub(super) fn usable_among<'r>(
    rights: &'r [IpRightRecord],
    raw_id: &str,
    now: Millis,
) -> Result<&'r IpRightRecord> {
    let id = IpRightId::parse(raw_id)?;
    check_usable(rights.iter().find(|r| r.id == id), now)
}

/// Why a right of the brand (None: not one of the brand's) cannot be invoked, if it cannot.
pub(super) fn check_usable(right: Option<&IpRightRecord>, now: Millis) -> Result<&IpRightRecord> {
    let right = right.ok_or_else(|| Error::unprocessable(Reason::RightNotYours))?;
    let number = || right.registration_number.clone();
    if right.status != "verified" {
        return Err(Error::unprocessable(Reason::RightNotVerified {
            number: number(),
        }));
    }
    if !right_usable(right, now) {
        return Err(Error::unprocessable(Reason::RightExpired {
            number: number(),
        }));
    }
    Ok(right)
}

pub async fn list_ip_rights<D: Db>(
    deps: &Deps<'_, D>,
    actor: &Actor,
    brand_id: BrandId,
) -> Result<IpRightList> {
    access::authorize(actor, brand_id, Action::ViewBrand)?;
    let now = deps.clock.now();
    Ok(IpRightList {
        rights: sql::ip_rights(deps.db, brand_id)
            .await?
            .into_iter()
            .map(|r| right_view(r, now))
            .collect(),
    })
}

pub async fn create_ip_right<D: Db>(
    deps: &Deps<'_, D>,
    actor: &Actor,
    brand_id: BrandId,
    req: CreateIpRightRequest,
) -> Result<IpRightView> {
    access::authorize(actor, brand_id, Action::ManageIpRights)?;
    let kind = req.kind.trim();
    if !RIGHT_KINDS.contains(&kind) {
        return Err(Error::invalid(
            "kind",
            "must be trademark, copyright, design_right or patent",
        ));
    }
    let registration_number = text(&req.registration_number, "registration_number", 100)?;
    let jurisdiction = text(&req.jurisdiction, "jurisdiction", 100)?;
    let owner = text(&req.owner, "owner", 200)?;
    let classes = optional_text(req.classes.as_deref(), "classes", 200)?.unwrap_or_default();
    let now = deps.clock.now();
    let id = IpRightId(deps.entropy.uuid());
    let new = sql::NewIpRight {
        id,
        brand_id,
        kind,
        registration_number: &registration_number,
        jurisdiction: &jurisdiction,
        classes: &classes,
        owner: &owner,
        expires_at: req.expires_at,
        now,
    };
    deps.db
        .batch(vec![sql::insert_ip_right(&new)])
        .await
        .map_err(|e| match e {
            Error::Conflict(_) => Error::conflict(Reason::RightRegistered),
            other => other,
        })?;
    let right = sql::ip_right(deps.db, brand_id, id)
        .await?
        .ok_or(Error::NotFound)?;
    Ok(right_view(right, now))
}

pub async fn upload_certificate<D: Db>(
    deps: &Deps<'_, D>,
    files: &impl FileStore,
    actor: &Actor,
    brand_id: BrandId,
    right_id: IpRightId,
    file: StoredFile,
) -> Result<IpRightView> {
    access::authorize(actor, brand_id, Action::ManageIpRights)?;
    sql::ip_right(deps.db, brand_id, right_id)
        .await?
        .ok_or(Error::NotFound)?;
    files.put(&file.key(brand_id), &file.bytes).await?;
    deps.db
        .batch(vec![sql::set_certificate(
            brand_id,
            right_id,
            &file.sha256,
            &file.name,
            file.content_type,
        )])
        .await?;
    let right = sql::ip_right(deps.db, brand_id, right_id)
        .await?
        .ok_or(Error::NotFound)?;
    Ok(right_view(right, deps.clock.now()))
}

pub async fn certificate<D: Db>(
    deps: &Deps<'_, D>,
    files: &impl FileStore,
    actor: &Actor,
    brand_id: BrandId,
    right_id: IpRightId,
) -> Result<FileBody> {
    access::authorize(actor, brand_id, Action::ViewBrand)?;
    let right = sql::ip_right(deps.db, brand_id, right_id)
        .await?
        .ok_or(Error::NotFound)?;
    let sha = right.certificate_sha256.ok_or(Error::NotFound)?;
    let bytes = files
        .get(&file_key(brand_id, &sha))
        .await?
        .ok_or(Error::NotFound)?;
    Ok((
        bytes,
        right.certificate_type.unwrap_or_default(),
        right.certificate_name.unwrap_or_default(),
    ))
}

pub async fn review_ip_right<D: Db>(
    deps: &Deps<'_, D>,
    actor: &Actor,
    brand_id: BrandId,
    right_id: IpRightId,
    req: ReviewIpRightRequest,
) -> Result<IpRightView> {
    let capacity = access::authorize(actor, brand_id, Action::VerifyIpRight)?;
    let reviewer = match actor {
        Actor::Person(p) => p.user_id,
        _ => return Err(Error::NotFound),
    };
    let note = optional_text(req.note.as_deref(), "note", 1000)?;
    let status = match req.decision.as_str() {
        "verify" => "verified",
        "reject" if note.is_some() => "rejected",
        "reject" => return Err(Error::invalid("note", Reason::SayWhyRejected)),
        _ => return Err(Error::invalid("decision", "must be verify or reject")),
    };
    let right = sql::ip_right(deps.db, brand_id, right_id)
        .await?
        .ok_or(Error::NotFound)?;
    if right.status != "pending" {
        return Err(Error::conflict(format!(
            "This right was already {}.",
            right.status
        )));
    }
    let now = deps.clock.now();
    deps.db
        .batch(
            [sql::review_ip_right(
                brand_id,
                right_id,
                status,
                note.as_deref(),
                reviewer,
                now,
            )]
            .into_iter()
            .chain(
                AuditEntry::by(AuditKind::RightReviewed, actor)
                    .for_brand(brand_id, capacity)
                    .subject(Subject::IpRight, right_id)
                    .detail("status", status)
                    .detail("note", note.as_deref())
                    .notice(Some(Notice::RightReviewed))
                    .stmts(deps),
            )
            .collect(),
        )
        .await?;
    let right = sql::ip_right(deps.db, brand_id, right_id)
        .await?
        .ok_or(Error::NotFound)?;
    Ok(right_view(right, now))
}

pub async fn pending_rights<D: Db>(deps: &Deps<'_, D>, actor: &Actor) -> Result<PendingRights> {
    let scope = staff_scope(actor)?;
    let now = deps.clock.now();
    // Brand names in one query, not one per right.
    let names: std::collections::HashMap<BrandId, String> = sql::all_brands(deps.db)
        .await?
        .into_iter()
        .map(|b| (b.id, b.name))
        .collect();
    let rights = sql::pending_ip_rights(deps.db, scope)
        .await?
        .into_iter()
        .map(|r| PendingRight {
            brand_id: r.brand_id,
            brand_name: names.get(&r.brand_id).cloned().unwrap_or_default(),
            right: right_view(r, now),
        })
        .collect();
    Ok(PendingRights { rights })
}
