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

// The form editor: the preview follows the fields as they are typed, and
// the snippet can be copied with one click. Without it, "Show preview"
// draws the page again and the snippet is selected by hand.
document.addEventListener("DOMContentLoaded", function () {
  var form = document.getElementById("form-editor");
  var slot = document.getElementById("preview-slot");
  if (form && slot) {
    var timer = null;
    var refresh = function () {
      fetch(form.dataset.preview, { method: "POST", body: new URLSearchParams(new FormData(form)), credentials: "same-origin" })
        .then(function (r) { return r.ok ? r.text() : null; })
        .then(function (html) { if (html !== null) slot.innerHTML = html; });
    };
    form.addEventListener("change", function () { clearTimeout(timer); timer = setTimeout(refresh, 150); });
    form.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(refresh, 400); });
  }
  var copy = document.getElementById("copy-snippet");
  var snippet = document.getElementById("snippet");
  if (copy && snippet && navigator.clipboard) {
    copy.hidden = false;
    copy.addEventListener("click", function () {
      navigator.clipboard.writeText(snippet.value).then(function () { copy.textContent = copy.dataset.done; });
    });
  }
});
