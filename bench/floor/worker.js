// The bench's floor: the least a Worker must do to answer each measured read on the same D1 —
// find the session's membership, then run the read's own statements, in as few round trips as
// D1 allows — so the API's latency can be stated as a multiple of it (`cargo xtask bench`).

const DAY = 86400000;
const WEEK = 7 * DAY;

async function sha256hex(text) {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

// The caller's role in the brand, from the session cookie: one statement.
async function role(env, request, brandId) {
  const m = (request.headers.get("cookie") || "").match(/(?:^|;\s*)jf_session=([^;]+)/);
  if (!m) return null;
  const row = await env.DB.prepare(
    `SELECT m.role FROM sessions s JOIN memberships m ON m.user_id = s.user_id AND m.brand_id = ?2
     WHERE s.token_hash = ?1 AND s.revoked_at IS NULL`,
  )
    .bind(await sha256hex(m[1]), brandId)
    .first();
  return row ? row.role : null;
}

const json = (body, status = 200) =>
  new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });

const PAGE = `SELECT c.id, c.listing_id, c.title, c.seller_id, c.seller_name, c.origin, c.status, c.version,
  c.reason_code, c.deadline_at, c.created_at, c.updated_at, c.snapshot, c.detection FROM cases c`;

// One page of the case list, with only the filter asked for.
function casePage(env, brandId, params) {
  const limit = Math.min(Number(params.get("limit") || 25), 100) + 1;
  const status = params.get("status");
  const q = params.get("q");
  if (q) {
    const phrase = `"${q.replaceAll('"', '""')}"`;
    return env.DB.prepare(
      `${PAGE} WHERE c.brand_id = ?1 AND c.id IN (SELECT case_id FROM cases_fts WHERE cases_fts MATCH ?2 AND brand_id = ?1)
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

// A case file: the case and its history.
function caseFile(env, brandId, caseId) {
  const db = env.DB;
  return db.batch([
    db.prepare(`SELECT * FROM cases WHERE id = ?1 AND brand_id = ?2`).bind(caseId, brandId),
    db.prepare(`SELECT seq, kind, from_status, to_status, actor_label, actor_kind, actor_name, on_behalf_of,
        note, note_code, note_args, at FROM case_events WHERE case_id = ?1 ORDER BY seq`).bind(caseId),
  ]);
}

export default {
  async fetch(request, env) {
    const url = new URL(request.url);
    const m = url.pathname.match(/^\/api\/v1\/brands\/([^/]+)\/(cases|dashboard)(?:\/([^/]+))?$/);
    if (!m || request.method !== "GET") return json({ error: "not_found" }, 404);
    const [, brandId, what, caseId] = m;
    if (!(await role(env, request, brandId))) return json({ error: "forbidden" }, 403);
    if (what === "dashboard") return json((await dashboard(env, brandId, Date.now())).map((r) => r.results));
    if (caseId) {
      const [c, events] = await caseFile(env, brandId, caseId);
      if (!c.results.length) return json({ error: "not_found" }, 404);
      return json({ case: c.results[0], events: events.results });
    }
    return json({ cases: (await casePage(env, brandId, url.searchParams).all()).results });
  },
};
