// Inlined into index.html (as `session.js`, which `cargo xtask build` writes from this template
// and core's `first_asks` table), so it runs before the app. While the app downloads, it asks who
// is signed in and then, for a signed-in person, what the page at this address shows first: on a
// phone the download and these round trips overlap instead of following one another. The app
// takes each answer once (`early_session` and `get` in `http.rs`); an answer that failed is null
// and the app asks for itself. A browser test fails if one goes unused or is asked for twice.
(() => {
  // [{ page: /^…$/, names: ["brand_id", …], asks: [{ path: "/api/v1/…{brand_id}…", after: path|null }] }]
  const pages = /*FIRST_ASKS*/[];
  const ask = (path) =>
    fetch(path, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then((r) => r.text().then((text) => ({ status: r.status, text })))
      .catch(() => null);
  // What a page shows first, by its address.
  const firstAsks = (address) => {
    for (const { page, names, asks } of pages) {
      const found = address.match(page);
      if (!found) continue;
      const fill = (path) => names.reduce((p, name, i) => p.split(`{${name}}`).join(found[i + 1]), path);
      const asked = {};
      for (const { path, after } of asks) {
        const first = after && asked[fill(after)];
        asked[fill(path)] = first
          ? first.then((a) => (a && a.status === 200 ? ask(fill(path)) : null))
          : ask(fill(path));
      }
      return asked;
    }
    return {};
  };
  // The session's answer is given once the page's answers are here too (or after a second at
  // most), so that the app builds the whole page at once: one paint, nothing shifting.
  window.jfEarly = {};
  window.jfSession = ask("/api/v1/auth/session").then((answer) => {
    let session = null;
    try {
      session = answer && answer.status === 200 ? JSON.parse(answer.text) : null;
    } catch (_) {}
    // Answers older than the app's own polls are not taken (`http.rs`).
    window.jfEarly = session && session.me ? firstAsks(location.pathname) : {};
    window.jfEarlyAt = Date.now();
    // What was asked, for the record (the browser test reads it; `jfEarly` empties as taken).
    window.jfEarlyAsked = Object.keys(window.jfEarly);
    const all = Promise.all(Object.values(window.jfEarly));
    const second = new Promise((done) => setTimeout(done, 1000));
    return Promise.race([all, second]).then(() => session);
  });
})();
