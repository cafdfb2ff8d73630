//! JointForce's Cloudflare Worker: serves the API under `/api/` (the SPA is served from assets).
//! It is thin: the guard resolves who is asking and what they may do, a handler calls one use case
//! from `jf-core`, and the result is mapped to HTTP in one place.

mod d1;
mod guard;
mod handlers;
mod platform;
mod reply;

use worker::{event, Context, Env, Request, Response, Result};

#[event(fetch)]
pub async fn fetch(req: Request, env: Env, _ctx: Context) -> Result<Response> {
    if req.path() == platform::TEST_CLOCK_PATH {
        return platform::test_clock(req, &env).await.or_else(|e| reply::error(&e));
    }
    let response = match guard::admit(req, &env).await {
        Ok(request) => handlers::handle(request, &env).await,
        Err(e) => Err(e),
    };
    response.or_else(|e| reply::error(&e))
}
