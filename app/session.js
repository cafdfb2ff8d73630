// Asks who is signed in while the app itself downloads; the app takes this answer instead of
// asking again (`app.rs`). A failure resolves to null and the app asks for itself.
window.jfSession = fetch("/api/v1/auth/session", {
  credentials: "same-origin",
  headers: { Accept: "application/json" },
})
  .then((r) => (r.ok ? r.json() : null))
  .catch(() => null);
