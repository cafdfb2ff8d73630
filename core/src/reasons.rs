//! Why a request was refused, as a code and the data inside, so that an interface in another
//! language can say it in its own words (the English message stays the API's text).
//!
//! The codes are read off the English messages the checks write, by template: one table here,
//! rather than a code threaded through every check. A message not in the table has no code and
//! the interface says what kind of problem it is.

use crate::history::matches;

/// (code, English template): a field's own check (the part after "field: ") or a whole
/// refusal. `{0}`, `{1}` are the data inside.
pub const REASONS: [(&str, &str); 47] = [
    // A field's own checks.
    ("empty", "must not be empty"),
    ("too_long", "must be at most {0} characters"),
    ("too_short", "must be at least {0} characters"),
    ("length", "must be 1–{0} characters"),
    ("control_characters", "must not contain control characters"),
    ("email", "must be an email address like name@example.com"),
    // A webhook endpoint's address (`endpoint_address.rs`).
    (
        "url_invalid",
        "must be a full URL like https://hooks.example.com/jointforce",
    ),
    (
        "url_credentials",
        "must not contain a user name or password",
    ),
    ("url_https", "must use https"),
    (
        "url_not_public",
        "must be a public internet address, not a private or reserved one",
    ),
    ("url_localhost", "must not name this machine (localhost)"),
    ("not_a_link", "{0} is not an http(s) link"),
    (
        "listing_reference",
        "must be a listing id or a URL starting with {0}",
    ),
    (
        "listing_reference_any",
        "must be a listing id or a marketplace listing URL",
    ),
    ("listing_url_id", "the URL does not end in a listing id"),
    (
        "good_faith",
        "you must declare in good faith that the listing infringes your right",
    ),
    ("choose_event", "choose at least one event"),
    ("wrong_password", "is not your current password"),
    (
        "right_number",
        "must be 2–40 characters of A–Z, 0–9 and '-'",
    ),
    ("too_many_files", "at most {0} files"),
    ("too_many_links", "at most {0} links"),
    ("file_empty", "is empty"),
    ("file_no_rows", "has no rows under the header"),
    ("file_too_many_rows", "has {0} rows; at most {1} per upload"),
    ("file_columns", "missing column(s): {0}"),
    (
        "file_not_utf8",
        "is not UTF-8 text (line {0}); save it as CSV UTF-8",
    ),
    (
        "say_why_rejected",
        "say why the right is rejected; the brand sees it",
    ),
    (
        "say_why_suspended",
        "say why the brand is suspended; the brand sees it",
    ),
    // Whole refusals.
    ("already_member", "{0} is already a member of this brand"),
    (
        "no_such_user",
        "no user has the email {0}; create the user first",
    ),
    ("last_admin", "a brand needs at least one brand_admin"),
    (
        "right_registered",
        "This right (kind, jurisdiction and number) is already registered.",
    ),
    (
        "right_not_yours",
        "That IP right is not one of your brand's.",
    ),
    (
        "right_not_verified",
        "The IP right {0} is not verified yet; only verified rights can be invoked.",
    ),
    ("right_expired", "The IP right {0} has expired."),
    ("no_listing", "The marketplace has no listing {0}."),
    (
        "changed_meanwhile",
        "This case was changed by someone else at the same moment; reload it and try again.",
    ),
    ("case_state", "a case that is {0} cannot be moved by {1}"),
    ("key_revoked", "This key is already revoked."),
    // Accounts, invitations and one-time links.
    ("cannot_join", "{0} cannot be invited to a brand."),
    (
        "invitation_accepted",
        "This invitation has already been accepted.",
    ),
    ("link_used", "This link has already been used."),
    (
        "set_password_first",
        "This account has no password yet: set it from the email we sent to this address, then sign in to accept.",
    ),
    (
        "other_account",
        "this invitation is for another account; sign in with the invited address",
    ),
    ("own_account", "you cannot change your own account this way"),
    ("enable_first", "this account is disabled; enable it first"),
    ("user_exists", "a user with the email {0} exists"),
];

/// The code of `message` and the data inside, when the table knows it.
pub fn reason(message: &str) -> Option<(&'static str, Vec<String>)> {
    REASONS
        .iter()
        .find_map(|(code, template)| matches(template, message).map(|args| (*code, args)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::Error;

    #[test]
    fn every_template_reads_back_its_own_code_and_data() {
        for (code, template) in REASONS {
            let filled = template.replace("{0}", "A-1").replace("{1}", "B 2");
            let (found, args) = reason(&filled).unwrap_or_else(|| panic!("{code}: {filled}"));
            assert_eq!(found, code, "{filled}");
            let expected: Vec<&str> = ["A-1", "B 2"]
                .into_iter()
                .take(template.matches('{').count())
                .collect();
            assert_eq!(args, expected, "{code}");
        }
        let codes: std::collections::HashSet<_> = REASONS.iter().map(|(c, _)| c).collect();
        assert_eq!(codes.len(), REASONS.len(), "codes are unique");
    }

    #[test]
    fn real_refusals_carry_their_code_in_the_body() {
        let private = crate::integrations::check_endpoint_url("https://10.0.0.1/hook", false)
            .expect_err("a private address is refused");
        let body = private.body();
        assert_eq!(body["error"]["reason"], "url_not_public", "{body}");
        assert_eq!(body["error"]["field"], "url");
        // Every kind of refused address has its own code.
        for (url, code) in [
            ("https://0x0a.0.0.1/", "url_not_public"),
            ("not a url", "url_invalid"),
            ("https://user:pw@example.com/", "url_credentials"),
            ("http://example.com/", "url_https"),
            ("https://a.localhost/", "url_localhost"),
        ] {
            let refused = crate::integrations::check_endpoint_url(url, false)
                .expect_err("refused")
                .body();
            assert_eq!(refused["error"]["reason"], code, "{url}: {refused}");
        }

        let long = crate::types::Email::parse("not an email").expect_err("refused");
        assert_eq!(long.body()["error"]["reason"], "email");

        let expired = Error::Unprocessable("The IP right TM-123 has expired.".into());
        let body = expired.body();
        assert_eq!(body["error"]["reason"], "right_expired");
        assert_eq!(body["error"]["args"], serde_json::json!(["TM-123"]));

        // A bulk row's field check carries its reason too.
        let rows = Error::InvalidRows(vec![(
            3,
            "statement: must be at least 20 characters".to_owned(),
        )])
        .body();
        assert_eq!(rows["error"]["rows"][0]["code"], "invalid", "{rows}");
        assert_eq!(rows["error"]["rows"][0]["reason"], "too_short");
        assert_eq!(
            rows["error"]["rows"][0]["reason_args"],
            serde_json::json!(["20"])
        );

        // A message the table does not know has no code (the interface says what kind it is).
        let other = Error::invalid("cursor", "is not a cursor this API gave out").body();
        assert!(other["error"].get("reason").is_none(), "{other}");
    }
}
