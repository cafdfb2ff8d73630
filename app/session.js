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
    const id = "([A-Za-z0-9-]+)";
    const brand = address.match(new RegExp(`^/brands/${id}(/.*)?$`));
    if (!brand) return [];
    const api = `/api/v1/brands/${brand[1]}`;
    const rest = brand[2] || "";
    const bell = `${api}/reminders`;
    if (rest === "") return [bell, api, `${api}/stats`];
    if (rest === "/confirm") {
      return [bell, api, `${api}/cases?status=awaiting_brand&limit=100`, `${api}/ip-rights`];
    }
    const file = rest.match(new RegExp(`^/cases/${id}$`));
    return file ? [bell, `${api}/cases/${file[1]}`] : [bell];
  };
  // The session's answer is given once the page's answers are here too (or after a second at
  // most), so that the app builds the whole page at once: one paint, nothing shifting.
  window.jfEarly = {};
  window.jfSession = ask("/api/v1/auth/session").then((answer) => {
    let session = null;
    try {
      session = answer && answer.status === 200 ? JSON.parse(answer.text) : null;
    } catch (_) {}
    const asks = session && session.me ? firstAsks(location.pathname) : [];
    for (const path of asks) window.jfEarly[path] = ask(path);
    window.jfEarlyAsked = asks;
    const all = Promise.all(Object.values(window.jfEarly));
    const second = new Promise((done) => setTimeout(done, 1000));
    return Promise.race([all, second]).then(() => {
      window.jfSessionAnswer = session;
      return session;
    });
  });
})();
