// Asks who is signed in while the app itself downloads. The app reads the answer from
// `jfSessionAnswer` when it has arrived, or waits for `jfSession` (`app.rs`). A failure gives
// null and the app asks for itself.
window.jfSession = fetch("/api/v1/auth/session", {
  credentials: "same-origin",
  headers: { Accept: "application/json" },
})
  .then((r) => (r.ok ? r.json() : null))
  .catch(() => null)
  .then((answer) => {
    window.jfSessionAnswer = answer;
    return answer;
  });
