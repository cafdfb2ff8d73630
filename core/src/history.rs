//! How the case history names who acted and what JointForce itself wrote there. The history keeps
//! English labels and sentences (`actor`, `note`); the API adds stable codes next to them so an
//! interface can say the same in its own language and keep only the data (names, the
//! marketplace's reasons, a seller's statement) as it is.

use crate::access::Capacity;
use crate::types::BrandRole;

/// Who acted, in the history: a person in a capacity, an API key, the marketplace, or
/// JointForce's own deadline rule.
pub const MARKETPLACE_LABEL: &str = "Marketplace";
pub const DEADLINE_LABEL: &str = "JointForce (deadline)";
const API_KEY_NAME: &str = "API key";
const AM_FOR: &str = " (account manager) for ";
const OPERATOR_FOR: &str = " (operator) for ";
const KEY_OF: &str = " of ";

/// How an actor is named in the case history: "Marco Bianchi (account manager) for Aurelia".
pub fn actor_label(name: &str, capacity: Capacity, brand_name: &str) -> String {
    match capacity {
        Capacity::Member(role) => format!("{name} ({})", role.as_str()),
        Capacity::AccountManager => format!("{name}{AM_FOR}{brand_name}"),
        Capacity::Operator => format!("{name}{OPERATOR_FOR}{brand_name}"),
        Capacity::Key(_) => format!("{name}{KEY_OF}{brand_name}"),
    }
}

pub const API_KEY: &str = API_KEY_NAME;

/// A history label read back: (kind, person's name, brand acted for). The kind is
/// `brand_admin`, `brand_agent`, `brand_viewer`, `account_manager`, `operator`, `api_key`,
/// `marketplace` or `deadline`; empty when the label is none of these.
pub fn actor_parts(label: &str) -> (String, Option<String>, Option<String>) {
    let some = |s: &str| Some(s.to_owned());
    if label == MARKETPLACE_LABEL {
        return ("marketplace".into(), None, None);
    }
    if label == DEADLINE_LABEL {
        return ("deadline".into(), None, None);
    }
    if let Some((name, brand)) = label.rsplit_once(AM_FOR) {
        return ("account_manager".into(), some(name), some(brand));
    }
    if let Some((name, brand)) = label.rsplit_once(OPERATOR_FOR) {
        return ("operator".into(), some(name), some(brand));
    }
    if let Some(brand) = label
        .strip_prefix(API_KEY_NAME)
        .and_then(|r| r.strip_prefix(KEY_OF))
    {
        return ("api_key".into(), None, some(brand));
    }
    if let Some((name, role)) = label
        .strip_suffix(')')
        .and_then(|l| l.rsplit_once(" ("))
        .filter(|(_, role)| BrandRole::parse(role).is_ok())
    {
        return (role.to_owned(), some(name), None);
    }
    (String::new(), None, None)
}

/// JointForce's own sentences in the history: (code, English template with `{0}`, `{1}`… for the
/// data inside).
pub const NOTES: [(&str, &str); 12] = [
    (
        "filed_auto",
        "Filed in the auto lane: takedown requested at once.",
    ),
    (
        "filed_review",
        "Filed in the review lane: the account manager decides.",
    ),
    (
        "filed_unreachable",
        "Filed while the marketplace was unreachable: listing details will follow.",
    ),
    (
        "listing_removed",
        "The listing was removed on the marketplace ({0}).",
    ),
    (
        "detection",
        "Flagged by the marketplace's detection (score {0}: {1}).",
    ),
    (
        "takedown_failed",
        "The marketplace could not take the listing down: {0}",
    ),
    (
        "takedown_confirmed",
        "The marketplace confirmed the takedown.",
    ),
    ("appeal_filed", "Seller {0} appealed: {1}"),
    (
        "flag_expired",
        "The brand did not answer within 7 days; the flag expired.",
    ),
    (
        "no_appeal",
        "No appeal within 14 days: the takedown is upheld.",
    ),
    (
        "appeal_unanswered",
        "The brand did not answer the appeal within 3 days: the listing is reinstated.",
    ),
    (
        "listing_unknown",
        "The marketplace does not know this listing.",
    ),
];

fn template(code: &str) -> &'static str {
    NOTES
        .iter()
        .find(|(c, _)| *c == code)
        .map_or("", |(_, t)| t)
}

/// The note `code` says, with `args` in its places.
pub fn note(code: &str, args: &[&str]) -> String {
    let mut out = template(code).to_owned();
    for (i, arg) in args.iter().enumerate() {
        out = out.replacen(&format!("{{{i}}}"), arg, 1);
    }
    out
}

/// Reads a note back: its code and the data inside, when JointForce wrote it; None for what a
/// person typed.
pub fn note_parts(note: &str) -> Option<(&'static str, Vec<String>)> {
    NOTES
        .iter()
        .find_map(|(code, t)| matches(t, note).map(|args| (*code, args)))
}

/// The arguments of `text` when it is `template` filled in (literals between the arguments are
/// found at their first place after the previous one; the last must end the text).
pub(crate) fn matches(template: &str, text: &str) -> Option<Vec<String>> {
    let mut literals = Vec::new();
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        let close = rest[open..].find('}')? + open;
        literals.push(&rest[..open]);
        rest = &rest[close + 1..];
    }
    let last = rest;
    let mut text = text.strip_prefix(literals.first().copied().unwrap_or(last))?;
    if literals.is_empty() {
        return text.is_empty().then(Vec::new);
    }
    let mut args = Vec::new();
    for lit in literals.iter().skip(1) {
        let at = text.find(lit)?;
        args.push(text[..at].to_owned());
        text = &text[at + lit.len()..];
    }
    args.push(text.strip_suffix(last)?.to_owned());
    Some(args)
}

/// A bulk upload's row problems: (code, English template). Other problems are a field's own
/// validation, "{field}: {why}" (code `invalid`, arguments the field and the why).
pub const ROW_PROBLEMS: [(&str, &str); 5] = [
    (
        "unknown_right",
        "ip_right: {0} is not one of your brand's rights",
    ),
    ("right_not_verified", "ip_right: {0} is not verified"),
    ("right_expired", "ip_right: {0} has expired"),
    ("duplicate_listing", "listing {0} is already on line {1}"),
    ("open_case", "listing {0} already has an open case: {1}"),
];

/// The row problem `code` says, with `args` in its places.
pub fn row_problem(code: &str, args: &[&str]) -> String {
    let mut out = ROW_PROBLEMS
        .iter()
        .find(|(c, _)| *c == code)
        .map_or("", |(_, t)| t)
        .to_owned();
    for (i, arg) in args.iter().enumerate() {
        out = out.replacen(&format!("{{{i}}}"), arg, 1);
    }
    out
}

/// The fields a report row's own checks name.
const ROW_FIELDS: [&str; 5] = [
    "listing",
    "reason_code",
    "statement",
    "evidence_urls",
    "good_faith",
];

/// A row problem read back: its code and the data inside.
pub fn row_parts(problem: &str) -> Option<(&'static str, Vec<String>)> {
    if let Some(found) = ROW_PROBLEMS
        .iter()
        .find_map(|(code, t)| matches(t, problem).map(|args| (*code, args)))
    {
        return Some(found);
    }
    let (field, why) = problem.split_once(": ")?;
    ROW_FIELDS
        .contains(&field)
        .then(|| ("invalid", vec![field.to_owned(), why.to_owned()]))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::access::KeyScope;

    #[test]
    fn actor_labels_read_back() {
        for (capacity, kind) in [
            (Capacity::Member(BrandRole::BrandAgent), "brand_agent"),
            (Capacity::Member(BrandRole::BrandAdmin), "brand_admin"),
            (Capacity::AccountManager, "account_manager"),
            (Capacity::Operator, "operator"),
        ] {
            let label = actor_label("Arjun (Mehta)", capacity, "Aurelia of Paris");
            let (k, name, _) = actor_parts(&label);
            assert_eq!(
                (k.as_str(), name.as_deref()),
                (kind, Some("Arjun (Mehta)")),
                "{label}"
            );
        }
        assert_eq!(
            actor_parts("Marco Bianchi (account manager) for Aurelia"),
            (
                "account_manager".into(),
                Some("Marco Bianchi".into()),
                Some("Aurelia".into())
            )
        );
        let key = actor_label(API_KEY, Capacity::Key(KeyScope::Read), "Aurelia");
        assert_eq!(
            actor_parts(&key),
            ("api_key".into(), None, Some("Aurelia".into()))
        );
        assert_eq!(actor_parts(MARKETPLACE_LABEL).0, "marketplace");
        assert_eq!(actor_parts(DEADLINE_LABEL).0, "deadline");
        assert_eq!(actor_parts("someone (else)").0, "");
    }

    #[test]
    fn notes_read_back() {
        for (code, _) in NOTES {
            let args = ["a (b): c", "d: e"];
            let text = note(code, &args);
            let (read, got) = note_parts(&text).expect(code);
            assert_eq!(read, code);
            assert_eq!(
                text,
                note(read, &got.iter().map(String::as_str).collect::<Vec<_>>())
            );
        }
        assert_eq!(
            note_parts("The listing was removed on the marketplace (seller closed shop)."),
            Some(("listing_removed", vec!["seller closed shop".to_owned()]))
        );
        assert_eq!(
            note_parts("Seller Bargain Bags appealed: genuine: see receipt"),
            Some((
                "appeal_filed",
                vec!["Bargain Bags".to_owned(), "genuine: see receipt".to_owned()]
            ))
        );
        assert_eq!(note_parts("Looks genuine to me."), None);
    }

    #[test]
    fn row_problems_read_back() {
        assert_eq!(
            row_parts(&row_problem("duplicate_listing", &["MKT-1", "4"])),
            Some((
                "duplicate_listing",
                vec!["MKT-1".to_owned(), "4".to_owned()]
            ))
        );
        assert_eq!(
            row_parts("\"TM-X\" is odd"),
            None,
            "not a known problem, not a field"
        );
        assert_eq!(
            row_parts("reason_code: must be one of counterfeit, …"),
            Some((
                "invalid",
                vec![
                    "reason_code".to_owned(),
                    "must be one of counterfeit, …".to_owned()
                ]
            ))
        );
    }
}
