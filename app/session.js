// Inlined into index.html, so it runs before the app. While the app downloads, it asks who is
// signed in and then, for a signed-in person, what the page at this address shows first: on a
// phone the download and these round trips overlap instead of following one another. The app
// takes each answer once (`jfSession` in `app.rs`, `jfEarly` in `http.rs`); an answer that
// failed is null and the app asks for itself. The paths are the ones the pages ask for: a
// browser test fails if one goes unused or is asked for twice.
(() => {
  const ask = (path) =>
    fetch(path, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then((r) => r.text().then((text) => ({ status: r.status, text })))
      .catch(() => null);
  // What a page shows first, by its address (ids only: anything else is left to the app).
  const firstAsks = (address) => {
    const id = "[A-Za-z0-9-]+";
    const pages = `(|/members|/cases(/${id})?|/report(/bulk)?|/rights|/confirm|/sellers/${id}|/api-keys|/webhooks)`;
    const brand = address.match(new RegExp(`^/brands/(${id})${pages}$`));
    if (!brand) return {};
    const api = `/api/v1/brands/${brand[1]}`;
    const rest = brand[2];
    const asks = { [`${api}/reminders`]: ask(`${api}/reminders`) };
    if (rest === "" || rest === "/confirm") asks[api] = ask(api);
    if (rest === "") {
      // The brand home asks for the standing once the brand is there, by the brand's own id.
      const stats = `/api/v1/brands/${brand[1].toLowerCase()}/stats`;
      asks[stats] = asks[api].then((b) => (b && b.status === 200 ? ask(stats) : null));
    }
    if (rest === "/confirm") {
      for (const path of [`${api}/cases?status=awaiting_brand&limit=100`, `${api}/ip-rights`]) {
        asks[path] = ask(path);
      }
    }
    if (brand[3] && rest.startsWith("/cases/")) asks[`${api}${rest}`] = ask(`${api}${rest}`);
    return asks;
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
    return Promise.race([all, second]).then(() => {
      window.jfSessionAnswer = session;
      return session;
    });
  });
})();
