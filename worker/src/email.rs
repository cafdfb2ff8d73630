//! Email through the Worker's `send_email` binding (Cloudflare Email Service; in `wrangler dev`
//! the local binding keeps each message in a file and logs where).

use jf_core::identity::mail::{Mail, Mailer};
use jf_core::{Error, Result};
use worker::{Env, SendEmail, SendEmailBuilder};

/// The binding's name in wrangler.toml (`[[send_email]]`).
const BINDING: &str = "EMAIL";

pub struct WorkerMailer {
    binding: SendEmail,
    site_url: String,
    from: String,
}

fn setting(env: &Env, name: &str) -> Result<String> {
    env.var(name)
        .map(|v| v.to_string())
        .map_err(|e| crate::reply::platform(format!("the {name} variable is not set"), e))
}

impl WorkerMailer {
    pub fn from_env(env: &Env) -> Result<Self> {
        let site_url = setting(env, "SITE_URL")?.trim_end_matches('/').to_owned();
        // Links in emails must be https, but for a local stack on loopback: a deployment that
        // kept the development value would email dead (or sniffable) links.
        let local = ["http://127.0.0.1:", "http://localhost:"]
            .iter()
            .any(|p| site_url.starts_with(p));
        if !site_url.starts_with("https://") && !local {
            return Err(Error::internal(format!(
                "SITE_URL must be the site's https address, not {site_url}"
            )));
        }
        Ok(WorkerMailer {
            binding: env
                .send_email(BINDING)
                .map_err(|e| crate::reply::platform("send_email binding", e))?,
            site_url,
            from: setting(env, "MAIL_FROM")?,
        })
    }
}

impl Mailer for WorkerMailer {
    fn site_url(&self) -> &str {
        &self.site_url
    }

    async fn send(&self, mail: Mail) -> Result<()> {
        let message = SendEmailBuilder::builder(&self.from, &mail.to, &mail.subject)
            .text(&mail.text)
            .build();
        self.binding
            .send_with_builder(&message)
            .await
            .map(|_| ())
            .map_err(|e| crate::reply::platform("sending email failed", e))
    }
}
