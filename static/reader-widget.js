/* reader-service widget ("Đọc nội dung"), first cut for the demo and the HTTP API.
 * One tag: <script src="https://reader.example/static/reader-widget.js" defer></script>
 * It binds to the page's "Đọc nội dung" button, asks the service for the article's manifest,
 * then plays the sentences' clips one after another, prefetching the next one. Text goes into
 * the page with textContent only. The full player (controls, highlighting, device voice) is
 * issue 7.
 */
(function () {
  "use strict";
  var script = document.currentScript;
  var service = (script && script.dataset.service) || (script ? new URL(script.src).origin : "");
  var LABELS = {
    vi: { read: "Đọc nội dung", pause: "Tạm dừng", resume: "Tiếp tục", loading: "Đang tạo âm thanh…",
          failed: "Không đọc được bài viết. Bấm để thử lại.", done: "Đã đọc xong." },
    en: { read: "Read aloud", pause: "Pause", resume: "Resume", loading: "Preparing audio…",
          failed: "Could not read the article. Press to retry.", done: "Finished." }
  };
  var lang = (script && script.dataset.lang) === "en" ? "en" : "vi";
  var t = LABELS[lang];

  function articleUrl() {
    var meta = document.querySelector('meta[name="reader-url"]');
    if (meta && meta.content) return new URL(meta.content, location.href).href;
    return location.href;
  }

  function findButton() {
    var selector = script && script.dataset.button;
    if (selector) return document.querySelector(selector);
    var candidates = document.querySelectorAll("button, a, [role=button]");
    for (var i = 0; i < candidates.length; i++) {
      if (candidates[i].textContent.trim() === "Đọc nội dung") return candidates[i];
    }
    var added = document.createElement("button");
    added.type = "button";
    added.textContent = t.read;
    document.body.insertBefore(added, document.body.firstChild);
    return added;
  }

  var button = findButton();
  if (!button) return;
  var status = document.createElement("div");
  status.setAttribute("role", "status");
  status.setAttribute("aria-live", "polite");
  status.setAttribute("lang", lang);
  status.className = "reader-widget-status";
  button.insertAdjacentElement("afterend", status);

  var player = new Audio();
  player.preload = "auto";
  var cues = [];
  var current = -1;
  var prefetched = null;

  function say(text) { status.textContent = text; }

  function play(index) {
    if (index >= cues.length) { say(t.done); current = -1; return; }
    current = index;
    player.src = service + cues[index].clip;
    say(cues[index].text);
    player.play().catch(function () { say(t.failed); });
    if (index + 1 < cues.length) {
      prefetched = new Audio();
      prefetched.preload = "auto";
      prefetched.src = service + cues[index + 1].clip;
    }
  }

  player.addEventListener("ended", function () { play(current + 1); });
  player.addEventListener("error", function () { say(t.failed); });

  function start() {
    say(t.loading);
    fetch(service + "/v1/listen?url=" + encodeURIComponent(articleUrl()))
      .then(function (response) {
        if (!response.ok) throw new Error(String(response.status));
        return response.json();
      })
      .then(function (manifest) { cues = manifest.cues || []; play(0); })
      .catch(function () { say(t.failed); });
  }

  button.addEventListener("click", function (event) {
    event.preventDefault();
    if (current < 0) { start(); return; }
    if (player.paused) { player.play(); button.setAttribute("aria-pressed", "true"); }
    else { player.pause(); button.setAttribute("aria-pressed", "false"); say(t.resume); }
  });
})();
