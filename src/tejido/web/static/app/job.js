// A background job's page: poll its state; the page is reloaded (and so rewritten by the
// server, in the reader's language) when the job moves to another stage or ends.
(function () {
  "use strict";
  const box = document.getElementById("job");
  if (!box) return;
  const status = box.dataset.status;
  if (status === "done" || status === "failed") return;
  const bar = document.getElementById("job-progress");
  async function poll() {
    try {
      const r = await fetch("/api/jobs/" + encodeURIComponent(box.dataset.job),
                            { credentials: "same-origin", headers: { Accept: "application/json" } });
      if (r.ok) {
        const job = await r.json();
        bar.value = job.progress;
        if (job.status !== box.dataset.status || (job.stage || "") !== box.dataset.stage) {
          window.location.reload();
          return;
        }
      }
    } catch (e) { /* the next poll tries again */ }
    window.setTimeout(poll, 700);
  }
  window.setTimeout(poll, 300);
})();
