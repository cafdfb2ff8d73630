// The bench's floor: the least a Worker must do to answer each measured request on the same D1 —
// find the session's membership (while the rate limiter counts the caller), then run the read's
// or write's own statements, in as few round trips as D1 allows (a signed `listing.flagged`: its
// signature checked, then one batch; a confirm's takedown sent after the answer) — so the API's
// latency and throughput can be stated as multiples of it (`cargo xtask bench`). It runs behind
// the same assets router as the API (`wrangler.toml`).

const DAY = 86400000;
const WEEK = 7 * DAY;

async function sha256hex(text) {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

// The session's digest, from its cookie.
async function sessionDigest(request) {
  const m = (request.headers.get("cookie") || "").match(/(?:^|;\s*)jf_session=([^;]+)/);
  return m ? sha256hex(m[1]) : null;
}

// One statement's first row, asked while the caller's reads or writes this minute are counted
// (the API asks its rate limiter alongside its session lookup too); null when over the limit.
async function counted(env, limiter, digest, sql, brandId) {
  const [within, row] = await Promise.all([
    limiter.limit({ key: digest }),
    env.DB.prepare(sql).bind(digest, brandId).first(),
  ]);
  return within.success ? row : null;
}

// The caller's role in the brand, from the session cookie: one statement.
async function role(env, request, brandId) {
  const digest = await sessionDigest(request);
  if (!digest) return null;
  const row = await counted(
    env,
    env.READ_LIMIT,
    digest,
    `SELECT m.role FROM sessions s JOIN memberships m ON m.user_id = s.user_id AND m.brand_id = ?2
     WHERE s.token_hash = ?1 AND s.revoked_at IS NULL`,
    brandId,
  );
  return row ? row.role : null;
}

const json = (body, status = 200) =>
  new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });

const PAGE = `SELECT c.id, c.listing_id, c.title, c.seller_id, c.seller_name, c.origin, c.status, c.version,
  c.reason_code, c.deadline_at, c.created_at, c.updated_at, c.snapshot, c.detection FROM cases c`;

// A brand's scope in the search index (migration 0021), from its `search_block`.
const SCOPE = `char(57344 + ((search_block >> 14) & 127), 57344 + ((search_block >> 7) & 127), 57344 + (search_block & 127))`;

// One page of the case list, with only the filter asked for.
function casePage(env, brandId, params) {
  const limit = Math.min(Number(params.get("limit") || 25), 100) + 1;
  const status = params.get("status");
  const q = params.get("q");
  if (q) {
    const phrase = `"${q.replaceAll('"', '""')}"`;
    return env.DB.prepare(
      `${PAGE} WHERE c.brand_id = ?1 AND c.id IN (SELECT r.case_id FROM (SELECT rowid AS search_row FROM cases_search
         WHERE cases_search MATCH (SELECT 'scope : "' || ${SCOPE} || '" AND body : ' || ?2 FROM brands WHERE id = ?1)
           AND rowid BETWEEN (SELECT search_block << 32 FROM brands WHERE id = ?1)
                         AND (SELECT (search_block << 32) + 4294967295 FROM brands WHERE id = ?1)) m
         CROSS JOIN case_search_rows r USING (search_row))
       ORDER BY c.created_at DESC, c.id DESC LIMIT ?3`,
    ).bind(brandId, phrase, limit);
  }
  if (status) {
    return env.DB.prepare(
      `${PAGE} WHERE c.brand_id = ?1 AND c.status = ?2 ORDER BY c.created_at DESC, c.id DESC LIMIT ?3`,
    ).bind(brandId, status, limit);
  }
  return env.DB.prepare(
    `${PAGE} WHERE c.brand_id = ?1 ORDER BY c.created_at DESC, c.id DESC LIMIT ?2`,
  ).bind(brandId, limit);
}

// The dashboard's figures: the API's own statements (core/src/sql/dashboard.rs, and the
// standing's turns in core/src/sql/portfolio.rs), in one batch.
function dashboard(env, brandId, now) {
  const monday = 4 * DAY;
  const first = now - ((((now - monday) % WEEK) + WEEK) % WEEK) - 11 * WEEK;
  const until = first + 12 * WEEK;
  const db = env.DB;
  return db.batch([
    db.prepare(`WITH done AS (
        SELECT origin, CAST((taken_down_at - ?2) / ?4 AS INTEGER) AS week, taken_down_at - created_at AS took
        FROM cases WHERE brand_id = ?1 AND taken_down_at >= ?2 AND taken_down_at < ?3),
      ranked AS (
        SELECT origin, week, took, ROW_NUMBER() OVER (PARTITION BY week ORDER BY took) AS rank,
               COUNT(*) OVER (PARTITION BY week) AS n FROM done)
      SELECT week, sum(origin = 'report') AS from_reports, sum(origin = 'detection') AS from_flags,
             max(CASE WHEN rank = (n * 50 + 99) / 100 THEN took END) AS p50_ms,
             max(CASE WHEN rank = (n * 90 + 99) / 100 THEN took END) AS p90_ms
      FROM ranked GROUP BY week ORDER BY week`).bind(brandId, first, until, WEEK),
    db.prepare(`SELECT count(*) AS awaiting, coalesce(sum(deadline_at <= ?2), 0) AS due_soon,
        min(deadline_at) AS next_deadline_at FROM cases WHERE brand_id = ?1 AND status = 'awaiting_brand'`)
      .bind(brandId, now + 2 * DAY),
    db.prepare(`SELECT
        (SELECT count(*) FROM cases WHERE brand_id = ?1 AND appealed_at >= ?2) AS received,
        (SELECT count(*) FROM cases WHERE brand_id = ?1 AND appealed_at IS NOT NULL
           AND decided_at >= ?2 AND status = 'upheld') AS upheld,
        (SELECT count(*) FROM cases WHERE brand_id = ?1 AND appealed_at IS NOT NULL
           AND decided_at >= ?2 AND status = 'reinstated') AS reinstated`).bind(brandId, first),
    db.prepare(`WITH d AS (
        SELECT brand_id, decided_at AS at, status = 'reinstated' AS r FROM cases
        WHERE brand_id IN (SELECT value FROM json_each(?1))
          AND decided_at IS NOT NULL AND decided_at >= ?2 AND decided_at <= ?3),
      moves AS (
        SELECT brand_id, at, 1 AS n, r FROM d
        UNION ALL SELECT brand_id, at + ?4, -1, -r FROM d WHERE at + ?4 <= ?3),
      points AS (SELECT brand_id, at, sum(n) AS n, sum(r) AS r FROM moves GROUP BY brand_id, at),
      counted AS (
        SELECT brand_id, at, sum(n) OVER w AS decided, sum(r) OVER w AS reinstated
        FROM points WINDOW w AS (PARTITION BY brand_id ORDER BY at ROWS UNBOUNDED PRECEDING)),
      judged AS (
        SELECT brand_id, at, decided, reinstated,
               decided >= ?5 AND reinstated * 10000 > ?6 * decided AS breached
        FROM counted),
      marked AS (
        SELECT brand_id, at, decided, reinstated, breached,
               breached <> coalesce(lag(breached) OVER v, 0) AS turns,
               lead(at) OVER v IS NULL AS last
        FROM judged WINDOW v AS (PARTITION BY brand_id ORDER BY at))
      SELECT brand_id, at, decided, reinstated, breached, turns, last
      FROM marked WHERE turns OR last ORDER BY brand_id, at`)
      .bind(JSON.stringify([brandId]), now - 270 * DAY, now, 90 * DAY, 20, 500),
    db.prepare(`WITH top AS (
        SELECT seller_id, count(*) AS takedowns FROM cases
        WHERE brand_id = ?1 AND taken_down_at >= ?2 AND seller_id IS NOT NULL
        GROUP BY seller_id HAVING count(*) >= 2
        ORDER BY takedowns DESC, seller_id LIMIT 10)
      SELECT t.seller_id,
             coalesce(s.name, (SELECT max(c.seller_name) FROM cases c
                               WHERE c.seller_id = t.seller_id AND c.brand_id = ?1)) AS name,
             t.takedowns, s.flagged_at IS NOT NULL AS flagged
      FROM top t LEFT JOIN sellers s ON s.id = t.seller_id
      ORDER BY t.takedowns DESC, t.seller_id`).bind(brandId, now - 180 * DAY),
  ]);
}

// A case file: the case and its history (the statements; a read batches them alone).
function caseFile(env, brandId, caseId) {
  const db = env.DB;
  return [
    db.prepare(`SELECT * FROM cases WHERE id = ?1 AND brand_id = ?2`).bind(caseId, brandId),
    db.prepare(`SELECT seq, kind, from_status, to_status, actor_label, actor_kind, actor_name, on_behalf_of,
        note, note_code, note_args, at FROM case_events WHERE case_id = ?1 ORDER BY seq`).bind(caseId),
  ];
}

// The caller's membership of the brand (for a write's event and audit entry): one statement.
async function member(env, request, brandId) {
  const digest = await sessionDigest(request);
  if (!digest) return null;
  return counted(
    env,
    env.WRITE_LIMIT,
    digest,
    `SELECT u.id AS user_id, u.display_name, m.role FROM sessions s
     JOIN memberships m ON m.user_id = s.user_id AND m.brand_id = ?2 JOIN users u ON u.id = s.user_id
     WHERE s.token_hash = ?1 AND s.revoked_at IS NULL`,
    brandId,
  );
}

// The least a confirmation writes (core/src/cases/decisions.rs, transitions.rs): the case moved
// only if it still awaits the brand and the right is the brand's and verified, with the right and
// reason; its event; the takedown action; the audit entry; the brand's webhook deliveries — one
// batch, each statement after the first conditional on the move; then the case file's reads.
async function confirm(env, ctx, request, brandId, caseId) {
  const who = await member(env, request, brandId);
  if (!who || !["brand_admin", "brand_agent"].includes(who.role)) return json({ error: "not_found" }, 404);
  const body = await request.json();
  const now = Date.now();
  const db = env.DB;
  const action = crypto.randomUUID();
  const moved = `FROM cases c WHERE c.id = ?1 AND c.status = 'takedown_requested' AND c.updated_at = ?2`;
  const label = `${who.display_name} (${who.role})`;
  const results = await db.batch([
    db.prepare(`UPDATE cases SET status = 'takedown_requested', is_open = 1, version = version + 1, deadline_at = NULL,
        updated_at = ?3, ip_right_id = ?4, reason_code = ?5
      WHERE id = ?1 AND brand_id = ?2 AND status = 'awaiting_brand'
        AND EXISTS (SELECT 1 FROM ip_rights r WHERE r.id = ?4 AND r.brand_id = ?2 AND r.status = 'verified'
                    AND (r.expires_at IS NULL OR r.expires_at > ?3))`)
      .bind(caseId, brandId, now, body.ip_right_id, body.reason_code),
    db.prepare(`INSERT INTO case_events (case_id, seq, kind, from_status, to_status, actor_id, actor_label,
        actor_kind, actor_name, on_behalf_of, note, note_code, note_args, at)
      SELECT c.id, (SELECT count(*) + 1 FROM case_events e WHERE e.case_id = c.id), 'confirm', 'awaiting_brand',
        'takedown_requested', ?3, ?4, ?5, ?6, NULL, NULL, NULL, NULL, ?2 ${moved}`)
      .bind(caseId, now, who.user_id, label, who.role, who.display_name),
    db.prepare(`INSERT INTO outbox (id, kind, case_id, brand_id, payload, next_attempt_at, created_at)
      SELECT ?3, 'listing.takedown', c.id, c.brand_id,
        json_object('action_id', ?3, 'case_id', c.id, 'brand_ref', (SELECT brand_ref FROM brands WHERE id = c.brand_id),
                    'listing_id', c.listing_id, 'reason_code', c.reason_code), ?2, ?2 ${moved}
      RETURNING payload`)
      .bind(caseId, now, action),
    db.prepare(`INSERT INTO audit_log (id, at, kind, actor_kind, actor_id, on_behalf_of, brand_id, subject_kind,
        subject_id, address, details)
      SELECT lower(hex(randomblob(16))), ?2, 'case_moved', 'person', ?3, NULL, c.brand_id, 'case', c.id, NULL,
        json_object('acted_as', ?4, 'event', 'confirm', 'from', 'awaiting_brand', 'to', 'takedown_requested',
                    'seq', c.version) ${moved}`)
      .bind(caseId, now, who.user_id, who.role),
    db.prepare(`INSERT INTO webhook_deliveries (id, endpoint_id, brand_id, event_type, payload, next_attempt_at, created_at)
      SELECT 'msg_' || lower(hex(randomblob(16))), e.id, e.brand_id, 'case.status_changed',
        json_object('type', 'case.status_changed', 'data', json_object('case_id', c.id, 'brand_id', c.brand_id,
                    'listing_id', c.listing_id, 'from', 'awaiting_brand', 'to', 'takedown_requested', 'event', 'confirm')),
        ?2, ?2
      FROM cases c JOIN webhook_endpoints e ON e.brand_id = c.brand_id AND e.disabled_at IS NULL
        AND EXISTS (SELECT 1 FROM json_each(e.events) WHERE value = 'case.status_changed')
      WHERE c.id = ?1 AND c.status = 'takedown_requested' AND c.updated_at = ?2`)
      .bind(caseId, now),
    ...caseFile(env, brandId, caseId),
  ]);
  if (!results[0].meta.changes) return json({ error: "conflict" }, 409);
  ctx.waitUntil(sendTakedown(env, action, results[2].results[0].payload));
  const [c, events] = results.slice(-2);
  return json({ case: c.results[0], events: events.results });
}

// The confirmed takedown, sent to the marketplace as the API sends it right after its answer:
// signed, with its id as the idempotency key; then marked sent, or left for a retry.
async function sendTakedown(env, actionId, payload) {
  const db = env.DB;
  const body = JSON.stringify({ type: "listing.takedown", timestamp: new Date().toISOString(), data: JSON.parse(payload) });
  const ts = Math.floor(Date.now() / 1000);
  let error = null;
  try {
    const answer = await fetch(env.MARKETPLACE_ACTIONS_URL, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "idempotency-key": actionId,
        "webhook-id": actionId,
        "webhook-timestamp": String(ts),
        "webhook-signature": await signature(env, actionId, ts, body),
      },
      body,
      signal: AbortSignal.timeout(10000),
    });
    if (!answer.ok) error = `${answer.status}`;
    await answer.body?.cancel();
  } catch (e) {
    error = String(e);
  }
  const now = Date.now();
  await (error === null
    ? db.prepare(`UPDATE outbox SET state = 'sent', sent_at = ?2, attempts = attempts + 1 WHERE id = ?1`).bind(actionId, now)
    : db
        .prepare(`UPDATE outbox SET attempts = attempts + 1, last_error = ?2, next_attempt_at = ?3 WHERE id = ?1`)
        .bind(actionId, error, now + 60000)
  ).run();
}

async function hmacKey(env) {
  const secret = Uint8Array.from(atob(env.MARKETPLACE_WEBHOOK_SECRET.replace(/^whsec_/, "")), (ch) =>
    ch.charCodeAt(0),
  );
  return crypto.subtle.importKey("raw", secret, { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
}

async function signature(env, id, ts, body) {
  const mac = await crypto.subtle.sign("HMAC", await hmacKey(env), new TextEncoder().encode(`${id}.${ts}.${body}`));
  return `v1,${btoa(String.fromCharCode(...new Uint8Array(mac)))}`;
}

// Standard Webhooks: HMAC-SHA256 over `id.timestamp.body` with the secret's bytes, base64, as
// one of the space-separated `v1,<signature>` entries; the timestamp within five minutes.
async function verified(env, request, body) {
  const id = request.headers.get("webhook-id");
  const ts = request.headers.get("webhook-timestamp");
  const signatures = (request.headers.get("webhook-signature") || "").split(" ");
  if (!id || !ts || Math.abs(Date.now() / 1000 - Number(ts)) > 300) return null;
  return signatures.includes(await signature(env, id, ts, body)) ? id : null;
}

// The least a new `listing.flagged` writes (core/src/marketplace.rs, its SQL): the raw event
// stored once, the seller and listing, the case (only for an enrolled brand with no open case of
// the listing, and only while the event is still to apply; its search row follows by the schema's
// trigger), its first event, the audit entry, the brand's `case.created` deliveries, and the event
// marked applied — one batch.
async function flagged(env, request) {
  const body = await request.text();
  const webhookId = await verified(env, request, body);
  if (!webhookId) return json({ error: "bad_signature" }, 401);
  const event = JSON.parse(body);
  if (event.type !== "listing.flagged") return json({ error: "not_measured" }, 400);
  const { brand_ref: brandRef, listing, detection } = event.data;
  const now = Date.now();
  const caseId = crypto.randomUUID();
  const snapshot = JSON.stringify(listing);
  const db = env.DB;
  const score = Number(detection.score).toFixed(2);
  const signals = detection.signals.join(", ");
  const note = `Detection score ${score}: ${signals}`;
  const created = `FROM cases c WHERE c.id = ?1`;
  await db.batch([
    db.prepare(`INSERT INTO inbound_events (webhook_id, type, body, received_at) VALUES (?1, ?2, ?3, ?4)
      ON CONFLICT (webhook_id) DO NOTHING`).bind(webhookId, event.type, body, now),
    db.prepare(`INSERT INTO sellers (id, name, updated_at) VALUES (?1, ?2, ?3)
      ON CONFLICT (id) DO UPDATE SET name = excluded.name, updated_at = excluded.updated_at`)
      .bind(listing.seller.seller_id, listing.seller.name, now),
    db.prepare(`INSERT INTO listings (id, snapshot, seller_id, updated_at) VALUES (?1, ?2, ?3, ?4)
      ON CONFLICT (id) DO UPDATE SET snapshot = excluded.snapshot, seller_id = excluded.seller_id,
                                     updated_at = excluded.updated_at`)
      .bind(listing.listing_id, snapshot, listing.seller.seller_id, now),
    db.prepare(`INSERT INTO cases (id, brand_id, listing_id, origin, status, is_open, version, lane, ip_right_id,
        reason_code, statement, evidence_urls, snapshot, title, seller_id, seller_name, detection, deadline_at,
        created_by, created_at, updated_at)
      SELECT ?1, b.id, ?2, 'detection', 'awaiting_brand', 1, 1, NULL, NULL, NULL, NULL, '[]', ?3, ?4, ?5, ?6, ?7, ?8,
        NULL, ?9, ?9
      FROM brands b WHERE b.brand_ref = ?10 AND b.programme_status = 'enrolled'
        AND NOT EXISTS (SELECT 1 FROM cases o WHERE o.brand_id = b.id AND o.listing_id = ?2 AND o.is_open = 1)
        AND EXISTS (SELECT 1 FROM inbound_events i WHERE i.webhook_id = ?11 AND i.state = 'stored')`)
      .bind(caseId, listing.listing_id, snapshot, listing.title, listing.seller.seller_id, listing.seller.name,
        JSON.stringify(detection), now + WEEK, now, brandRef, webhookId),
    db.prepare(`INSERT INTO case_events (case_id, seq, kind, from_status, to_status, actor_id, actor_label,
        actor_kind, actor_name, on_behalf_of, note, note_code, note_args, at)
      SELECT c.id, 1, 'flagged', NULL, 'awaiting_brand', NULL, 'Marketplace', 'marketplace', NULL, NULL, ?2,
        'detection', ?3, ?4 ${created}`)
      .bind(caseId, note, JSON.stringify([score, signals]), now),
    db.prepare(`INSERT INTO audit_log (id, at, kind, actor_kind, actor_id, on_behalf_of, brand_id, subject_kind,
        subject_id, address, details)
      SELECT lower(hex(randomblob(16))), ?2, 'case_moved', 'marketplace', NULL, NULL, c.brand_id, 'case', c.id, NULL,
        json_object('acted_as', 'marketplace', 'event', 'flagged', 'from', NULL, 'to', 'awaiting_brand', 'seq', 1)
      ${created}`).bind(caseId, now),
    db.prepare(`INSERT INTO webhook_deliveries (id, endpoint_id, brand_id, event_type, payload, next_attempt_at, created_at)
      SELECT 'msg_' || lower(hex(randomblob(16))), e.id, e.brand_id, 'case.created',
        json_object('type', 'case.created', 'data', json_object('case_id', c.id, 'brand_id', c.brand_id,
                    'listing_id', c.listing_id, 'origin', 'detection', 'status', 'awaiting_brand')), ?2, ?2
      FROM cases c JOIN webhook_endpoints e ON e.brand_id = c.brand_id AND e.disabled_at IS NULL
        AND EXISTS (SELECT 1 FROM json_each(e.events) WHERE value = 'case.created')
      WHERE c.id = ?1`).bind(caseId, now),
    db.prepare(`UPDATE inbound_events SET state = 'applied', applied_at = ?2, attempts = attempts + 1
      WHERE webhook_id = ?1 AND state <> 'applied'`).bind(webhookId, now),
  ]);
  return json({ outcome: "applied" });
}

export default {
  async fetch(request, env, ctx) {
    const url = new URL(request.url);
    if (request.method === "POST" && url.pathname === "/api/v1/webhooks/marketplace") {
      return flagged(env, request);
    }
    const confirming = url.pathname.match(/^\/api\/v1\/brands\/([^/]+)\/cases\/([^/]+)\/confirm$/);
    if (confirming && request.method === "POST") return confirm(env, ctx, request, confirming[1], confirming[2]);
    const m = url.pathname.match(/^\/api\/v1\/brands\/([^/]+)\/(cases|dashboard)(?:\/([^/]+))?$/);
    if (!m || request.method !== "GET") return json({ error: "not_found" }, 404);
    const [, brandId, what, caseId] = m;
    if (!(await role(env, request, brandId))) return json({ error: "forbidden" }, 403);
    if (what === "dashboard") return json((await dashboard(env, brandId, Date.now())).map((r) => r.results));
    if (caseId) {
      const [c, events] = await env.DB.batch(caseFile(env, brandId, caseId));
      if (!c.results.length) return json({ error: "not_found" }, 404);
      return json({ case: c.results[0], events: events.results });
    }
    return json({ cases: (await casePage(env, brandId, url.searchParams).all()).results });
  },
};
