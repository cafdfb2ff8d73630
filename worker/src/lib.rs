//! JointForce's Cloudflare Worker: serves the API under `/api/` (the SPA is served from assets).
//! It is thin: the guard resolves who is asking and what they may do, a handler calls one use case
//! from `jf-core`, and the result is mapped to HTTP in one place.

mod d1;
mod email;
mod guard;
mod handlers;
mod marketplace;
mod platform;
mod reply;

use worker::{event, Context, Env, Request, Response, Result};

#[event(fetch)]
pub async fn fetch(req: Request, env: Env, ctx: Context) -> Result<Response> {
    if req.path() == platform::TEST_CLOCK_PATH {
        return platform::test_clock(req, &env)
            .await
            .or_else(|e| reply::error(&e));
    }
    if req.path() == platform::TEST_READ_PATH {
        return platform::test_read(req, &env)
            .await
            .or_else(|e| reply::error(&e));
    }
    let response = match guard::admit(req, &env).await {
        Ok(request) => handlers::handle(request, &env, &ctx).await,
        Err(e) => Err(e),
    };
    response.or_else(|e| reply::error(&e))
}

/// The Cron Trigger: stored events, deadlines, pending snapshots and outbox delivery, the
/// backfill of the case history's typed columns, and retention.
#[event(scheduled)]
pub async fn scheduled(_event: worker::ScheduledEvent, env: Env, _ctx: worker::ScheduleContext) {
    if let Err(e) = run_jobs(&env).await {
        worker::console_error!("scheduled run failed: {}", e.log_message());
    }
}

async fn run_jobs(env: &Env) -> jf_core::Result<()> {
    let db = d1::D1(
        env.d1("DB")
            .map_err(|e| reply::platform("the DB binding", e))?,
    );
    let clock = platform::WorkerClock::for_env(env).await?;
    let deps = jf_core::identity::Deps {
        db: &db,
        clock: &clock,
        entropy: &platform::WebCrypto,
        address: None,
    };
    // Each step runs whatever became of the others: one failing never holds the rest back.
    let jobs = match marketplace::MarketplaceHttp::from_env(env) {
        Ok(market) => jf_core::jobs::run(&deps, &market)
            .await
            .map(|r| format!("{r:?}")),
        Err(e) => Err(e),
    };
    let purged = jf_core::identity::purge_expired(&deps).await;
    let forgotten = jf_core::jobs::forget_expired(&deps).await;
    let announced = jf_core::integrations::announce_deadlines(&deps).await;
    // Events written before migration 0006 get their typed actor and note columns, a chunk a run.
    let history = jf_core::jobs::backfill_history(&deps).await;
    let brand_webhooks = async {
        let webhooks = marketplace::webhook_settings(env)?;
        // Secrets still in plaintext (or under an older key) are sealed before anything is signed.
        let sealing = jf_core::integrations::seal_endpoint_secrets(&deps, &webhooks.keys).await?;
        let delivered =
            jf_core::integrations::deliver_webhooks(&deps, &marketplace::BrandWebhooks, &webhooks)
                .await?;
        Ok::<_, jf_core::Error>(format!(
            "endpoint secrets {sealing:?}; delivered {delivered}"
        ))
    }
    .await;
    // Notification emails owed by the changes since the last run.
    let notified = async {
        let mailer = email::WorkerMailer::from_env(env)?;
        jf_core::notifications::send_owed_mail(&deps, &mailer).await
    }
    .await;
    worker::console_log!(
        "scheduled run: jobs {jobs:?}; purge {purged:?}; retention {forgotten:?}; deadlines announced {announced:?}; history backfilled {history:?}; brand webhooks {brand_webhooks:?}; notification emails {notified:?}"
    );
    jobs.and(purged)
        .and(forgotten.map(|_| ()))
        .and(notified.map(|_| ()))
        .and(announced.map(|_| ()))
        .and(history.map(|_| ()))
        .and(brand_webhooks.map(|_| ()))
}
