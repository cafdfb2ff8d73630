//! The emails that carry one-time links: the only way a link leaves the server.
//!
//! Each message is written in English and Simplified Chinese (the recipient's language is not
//! known yet), as plain text: people's names and brand names go in as they are, with no markup
//! to escape.

use crate::clock::{Millis, HOUR};
use crate::types::BrandRole;
use crate::Result;

/// One email to one person.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mail {
    pub to: String,
    pub subject: String,
    pub text: String,
}

/// Sends email (the Worker's `send_email` binding); links in it start with the site's address.
#[allow(async_fn_in_trait)]
pub trait Mailer {
    /// The site's own address, e.g. `https://jointforce.example` (no trailing slash).
    fn site_url(&self) -> &str;
    async fn send(&self, mail: Mail) -> Result<()>;
}

fn role_names(role: BrandRole) -> (&'static str, &'static str) {
    match role {
        BrandRole::BrandAdmin => ("brand admin", "品牌管理员"),
        BrandRole::BrandAgent => ("brand agent", "品牌专员"),
        BrandRole::BrandViewer => ("brand viewer", "品牌查看者"),
    }
}

fn hours(lifetime: Millis) -> Millis {
    lifetime / HOUR
}

/// An invitation to join a brand.
pub struct Invitation<'a> {
    pub to: &'a str,
    pub brand_name: &'a str,
    pub role: BrandRole,
    pub inviter: &'a str,
    pub secret: &'a str,
    pub lifetime: Millis,
}

pub fn invitation(site_url: &str, inv: &Invitation<'_>) -> Mail {
    let link = format!("{site_url}/invite/{}", inv.secret);
    let (role_en, role_zh) = role_names(inv.role);
    let (brand, inviter, h) = (inv.brand_name, inv.inviter, hours(inv.lifetime));
    Mail {
        to: inv.to.to_owned(),
        subject: format!("Join {brand} on JointForce / 加入 JointForce 上的 {brand}"),
        text: format!(
            "{inviter} invites you to join {brand} on JointForce as {role_en}.\n\
             \n\
             Open this link to accept (it works once, for {h} hours):\n\
             {link}\n\
             \n\
             If you already have a JointForce account with this address, sign in with it to \
             accept. If you did not expect this, ignore this email.\n\
             \n\
             ——\n\
             \n\
             {inviter} 邀请您以{role_zh}身份加入 JointForce 上的 {brand}。\n\
             \n\
             打开以下链接接受邀请（仅可使用一次，{h} 小时内有效）：\n\
             {link}\n\
             \n\
             如果您已用此邮箱注册 JointForce 账户，请登录该账户后接受。如非本人操作，请忽略此邮件。\n"
        ),
    }
}

/// Why an account is sent its set-password link.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PasswordLinkReason {
    /// A new account made by an operator (or the first operator).
    NewAccount,
    /// The person asked for one, or an operator sent one again.
    Reset,
}

pub struct PasswordLink<'a> {
    pub to: &'a str,
    pub display_name: &'a str,
    pub secret: &'a str,
    pub lifetime: Millis,
    pub reason: PasswordLinkReason,
}

pub fn password_link(site_url: &str, p: &PasswordLink<'_>) -> Mail {
    let link = format!("{site_url}/set-password/{}", p.secret);
    let (name, h) = (p.display_name, hours(p.lifetime));
    let (subject, why_en, why_zh) = match p.reason {
        PasswordLinkReason::NewAccount => (
            "Your JointForce account / 您的 JointForce 账户",
            "An account on JointForce has been made for you. Choose your password to start.",
            "已为您创建 JointForce 账户。请设置密码后开始使用。",
        ),
        PasswordLinkReason::Reset => (
            "Set your JointForce password / 设置您的 JointForce 密码",
            "Someone asked to set a new password for your JointForce account. If it was not you, \
             ignore this email: your password stays as it is.",
            "有人请求为您的 JointForce 账户设置新密码。如非本人操作，请忽略此邮件，您的密码不会改变。",
        ),
    };
    Mail {
        to: p.to.to_owned(),
        subject: subject.to_owned(),
        text: format!(
            "Hello {name},\n\
             \n\
             {why_en}\n\
             \n\
             Set your password here (the link works once, for {h} hours; a newer link replaces it):\n\
             {link}\n\
             \n\
             ——\n\
             \n\
             {name}，您好：\n\
             \n\
             {why_zh}\n\
             \n\
             请通过以下链接设置密码（仅可使用一次，{h} 小时内有效；新的链接会使旧链接失效）：\n\
             {link}\n"
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_carry_the_link_in_both_languages() {
        let m = invitation(
            "https://jf.example",
            &Invitation {
                to: "new@brand.test",
                brand_name: "Aurelia",
                role: BrandRole::BrandAgent,
                inviter: "Alice",
                secret: "s3cret",
                lifetime: 7 * 24 * HOUR,
            },
        );
        assert_eq!(m.to, "new@brand.test");
        assert_eq!(
            m.text.matches("https://jf.example/invite/s3cret").count(),
            2
        );
        assert!(m.text.contains("as brand agent") && m.text.contains("品牌专员"));
        assert!(m.text.contains("168 hours") && m.text.contains("168 小时"));
        let p = password_link(
            "https://jf.example",
            &PasswordLink {
                to: "am@m.test",
                display_name: "Ana",
                secret: "t0ken",
                lifetime: 72 * HOUR,
                reason: PasswordLinkReason::NewAccount,
            },
        );
        assert_eq!(
            p.text
                .matches("https://jf.example/set-password/t0ken")
                .count(),
            2
        );
        assert!(p.text.contains("72 hours") && p.subject.contains("账户"));
    }
}
