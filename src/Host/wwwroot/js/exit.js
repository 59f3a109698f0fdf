// Exit web UI: small progressive enhancements, no build step. Everything works without it.
(function () {
  "use strict";

  // WHO-5: the score (raw sum x 4) and its band, shown live as the answers are given.
  function who5(fieldset) {
    var out = document.getElementById("who5-score");
    if (!out) return;
    function update() {
      var sum = 0, answered = 0;
      for (var i = 0; i < 5; i++) {
        var checked = fieldset.querySelector("input[name='who5_" + i + "']:checked");
        if (checked) { sum += parseInt(checked.value, 10); answered++; }
      }
      if (answered < 5) { out.textContent = out.dataset.incomplete + " (" + answered + "/5)"; return; }
      var score = sum * 4;
      var band = score > 50 ? out.dataset.normal : score > 35 ? out.dataset.risk : out.dataset.high;
      out.textContent = score + " / 100 – " + band;
      out.dataset.score = String(score);
    }
    fieldset.addEventListener("change", update);
    update();
  }

  // Life situation: the total of the ten ratings.
  function life(fieldset) {
    var out = document.getElementById("life-total");
    if (!out) return;
    function update() {
      var total = 0, answered = 0;
      fieldset.querySelectorAll("select").forEach(function (s) { if (s.value) { total += parseInt(s.value, 10); answered++; } });
      out.textContent = answered === 0 ? "" : out.dataset.template.replace("{0}", String(total)) + (answered < 10 ? " (" + answered + "/10)" : "");
    }
    fieldset.addEventListener("change", update);
    update();
  }

  // Auto-refresh: a region with data-refresh-url is re-fetched every data-refresh-seconds and its content replaced.
  function refresh(region) {
    var seconds = parseInt(region.dataset.refreshSeconds || "30", 10);
    if (!(seconds > 0)) return;
    setInterval(function () {
      if (document.hidden) return;
      if (region.contains(document.activeElement) && document.activeElement !== region) return; // do not pull focus away
      fetch(region.dataset.refreshUrl, { credentials: "same-origin", headers: { "X-Requested-With": "fetch" } })
        .then(function (r) {
          if (r.redirected || r.status === 401) { window.location.reload(); return null; } // signed out: show the sign-in page
          return r.ok ? r.text() : null;
        })
        .then(function (html) { if (html !== null) { region.innerHTML = html; region.dispatchEvent(new Event("refreshed")); } })
        .catch(function () { /* try again next time */ });
    }, seconds * 1000);
  }

  // Confirmation for irreversible changes (closing a phase early).
  function confirmable(form) {
    form.addEventListener("submit", function (e) { if (!window.confirm(form.dataset.confirm)) e.preventDefault(); });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-who5]").forEach(who5);
    document.querySelectorAll("[data-life]").forEach(life);
    document.querySelectorAll("[data-refresh-url]").forEach(refresh);
    document.querySelectorAll("form[data-confirm]").forEach(confirmable);
    var errors = document.getElementById("errors");
    if (errors) errors.focus();
  });
})();
