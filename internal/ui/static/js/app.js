// Pista's progressive enhancement. Every form works without it; with it,
// the BANT form shows its weighted total as the answers change.
"use strict";
document.addEventListener("DOMContentLoaded", function () {
  var form = document.getElementById("bant-form");
  var out = document.getElementById("bant-total");
  if (!form || !out) return;
  var timer = null;
  function refresh() {
    var params = new URLSearchParams(new FormData(form));
    params.delete("csrf");
    params.delete("idem");
    fetch(form.dataset.preview + "?" + params.toString(), { credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.text() : null; })
      .then(function (html) { if (html !== null) out.innerHTML = html; });
  }
  form.addEventListener("change", function () { clearTimeout(timer); timer = setTimeout(refresh, 150); });
  form.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(refresh, 400); });
});
