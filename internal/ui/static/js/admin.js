// Progressive enhancement of marketing's pages: while a new definition
// re-scores the leads, its page polls the progress and moves the bar.
// Without it the page shows the state when it was loaded and a link to
// refresh.
"use strict";
document.addEventListener("DOMContentLoaded", function () {
  var box = document.getElementById("reeval");
  if (!box || box.dataset.finished) return;
  var bar = document.getElementById("reeval-bar");
  var text = document.getElementById("reeval-text");
  var state = document.getElementById("reeval-state");
  function poll() {
    fetch(box.dataset.progress, { credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (p) {
        if (!p) return;
        bar.max = p.Total; bar.value = p.Done;
        text.textContent = text.textContent.replace(/^[\d.,\s]+/, p.Done.toLocaleString(document.documentElement.lang) + " ");
        if (p.Finished) { state.textContent = box.dataset.doneText || "✓"; return; }
        setTimeout(poll, 700);
      });
  }
  setTimeout(poll, 500);
});

// An import that is still running: reload its page every second so the
// bar moves; the page works the same without it (a refresh link).
document.addEventListener("DOMContentLoaded", function () {
  var box = document.getElementById("import-progress");
  if (box && box.dataset.running) setTimeout(function () { location.reload(); }, 1000);
});
