/* reader-service widget: "Đọc nội dung" for portal article pages. No build step, no dependency.
 *
 *   <script src="https://reader.example/static/reader-widget.js" defer
 *           data-lang="vi" data-button="#doc-noi-dung" data-url="https://..."></script>
 *
 * data-service  the service's origin (default: where this script comes from)
 * data-button   CSS selector of the page's own button (default: a button or link whose text is
 *               "Đọc nội dung"; one is added at the top of the page when there is none)
 * data-url      the article to read (default: <meta name="reader-url"> or this page)
 * data-lang     "vi" (default) or "en" for the player's labels
 *
 * Text goes into the page with textContent only; the portal's DOM is never rewritten (the
 * sentence being read is highlighted with the CSS Custom Highlight API, else shown in a caption).
 */
(function () {
  "use strict";
  var script = document.currentScript;
  var data = (script && script.dataset) || {};
  var service = data.service || (script && script.src ? new URL(script.src).origin : "");
  var T = {
    vi: {
      read: "Đọc nội dung", player: "Trình đọc nội dung", play: "Phát", pause: "Tạm dừng",
      prev: "Câu trước", next: "Câu tiếp", back: "Lùi 10 giây", fwd: "Tới 10 giây",
      progress: "Vị trí đọc", sentence: "Câu {0} trên {1}", speed: "Tốc độ đọc",
      voice: "Giọng đọc", device: "Giọng của thiết bị", download: "Tải tệp âm thanh",
      close: "Đóng", loading: "Đang tạo âm thanh…", failed: "Không đọc được bài viết.",
      retry: "Thử lại", done: "Đã đọc xong.", north: "Giọng Bắc", central: "Giọng Trung",
      south: "Giọng Nam"
    },
    en: {
      read: "Read aloud", player: "Article reader", play: "Play", pause: "Pause",
      prev: "Previous sentence", next: "Next sentence", back: "Back 10 seconds",
      fwd: "Forward 10 seconds", progress: "Reading position", sentence: "Sentence {0} of {1}",
      speed: "Reading speed", voice: "Voice", device: "Device voice",
      download: "Download audio", close: "Close", loading: "Preparing audio…",
      failed: "Could not read the article.", retry: "Retry", done: "Finished.",
      north: "Northern voice", central: "Central voice", south: "Southern voice"
    }
  };
  var lang = data.lang === "en" ? "en" : "vi";
  var t = T[lang];
  var VOICE_NAMES = { "vi": t.north, "vi-VN-x-central": t.central, "vi-VN-x-south": t.south };
  var SPEEDS = [0.75, 1, 1.25, 1.5, 2];
  var reduceMotion = window.matchMedia && matchMedia("(prefers-reduced-motion: reduce)").matches;
  var canHighlight = typeof CSS !== "undefined" && CSS.highlights && typeof Highlight === "function";

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    for (var key in attrs || {}) node.setAttribute(key, attrs[key]);
    if (text !== undefined) node.textContent = text;
    return node;
  }
  /* A button whose icon is hidden from assistive technology and whose name is its label. */
  function iconButton(label, icon) {
    var node = el("button", { type: "button" });
    node.appendChild(el("span", { "aria-hidden": "true" }, icon));
    node.appendChild(el("span", { "class": "rw-sr" }, label));
    return node;
  }
  function fmt(template) {
    var args = arguments;
    return template.replace(/\{(\d)\}/g, function (_, i) { return args[+i + 1]; });
  }
  function squash(text) { return text.replace(/\s+/g, " ").trim(); }

  function articleUrl() {
    if (data.url) return new URL(data.url, location.href).href;
    var meta = document.querySelector('meta[name="reader-url"]');
    return meta && meta.content ? new URL(meta.content, location.href).href : location.href;
  }

  function findButton() {
    if (data.button) return document.querySelector(data.button);
    var all = document.querySelectorAll("button, a, [role=button]");
    for (var i = 0; i < all.length; i++) {
      if (squash(all[i].textContent) === "Đọc nội dung") return all[i];
    }
    var added = el("button", { type: "button", "class": "rw-launch" }, t.read);
    document.body.insertBefore(added, document.body.firstChild);
    return added;
  }

  /* ---- styles (scoped to the widget) ---- */
  var css =
    ".rw-player{position:fixed;left:0;right:0;bottom:0;z-index:2147483000;background:#fff;" +
    "color:#111;border-top:2px solid #0b5394;box-shadow:0 -2px 8px rgba(0,0,0,.2);padding:8px;" +
    "font:16px/1.4 system-ui,Arial,sans-serif;max-height:50vh;overflow:auto}" +
    ".rw-row{display:flex;flex-wrap:wrap;gap:6px;align-items:center}" +
    ".rw-player button,.rw-player select,.rw-player a{font:inherit;min-height:44px;min-width:44px;" +
    "padding:4px 10px;border:1px solid #0b5394;border-radius:6px;background:#eef4fb;color:#0b2e59;" +
    "text-decoration:none;display:inline-flex;align-items:center;justify-content:center}" +
    // The rule above would otherwise show controls marked hidden (the retry button).
    ".rw-player [hidden]{display:none!important}" +
    ".rw-player :focus-visible,.rw-launch:focus-visible{outline:3px solid #d35400;outline-offset:2px}" +
    ".rw-status{margin:6px 0;min-height:1.4em}.rw-caption{margin:6px 0;font-weight:600}" +
    ".rw-bar{flex:1 1 140px;height:12px;background:#dde6f0;border-radius:6px;position:relative;" +
    "cursor:pointer;min-width:120px}.rw-fill{position:absolute;left:0;top:0;bottom:0;" +
    "background:#0b5394;border-radius:6px}" +
    ".rw-sr{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0)}" +
    "::highlight(reader-sentence){background:#ffe58a;color:#111}" +
    "@media (prefers-reduced-motion:reduce){.rw-player *{transition:none!important}}";
  document.head.appendChild(el("style", {}, css));

  var button = findButton();
  if (!button) return;

  /* ---- state ---- */
  var manifest = null, cues = [], index = -1, speed = 1, useDevice = false, voice = "";
  var audio = new Audio();
  audio.preload = "auto";
  var cache = {};
  var player = null, ui = {};
  var pageText = null;

  /* ---- page text index, to highlight sentences without touching the DOM ---- */
  function indexPage() {
    var walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT, {
      acceptNode: function (node) {
        var parent = node.parentNode;
        if (!parent || /^(SCRIPT|STYLE|NOSCRIPT)$/.test(parent.nodeName)) return NodeFilter.FILTER_REJECT;
        if (player && player.contains(node)) return NodeFilter.FILTER_REJECT;
        return NodeFilter.FILTER_ACCEPT;
      }
    });
    var flat = "", map = [], node, lastSpace = true;
    while ((node = walker.nextNode())) {
      var text = node.nodeValue;
      for (var i = 0; i < text.length; i++) {
        var ch = text[i], space = /\s/.test(ch);
        if (space && lastSpace) continue;
        flat += space ? " " : ch;
        map.push([node, i]);
        lastSpace = space;
      }
    }
    return { flat: flat, map: map, from: 0 };
  }

  function rangeOf(text) {
    if (!pageText) pageText = indexPage();
    var wanted = squash(text);
    var at = pageText.flat.indexOf(wanted, pageText.from);
    if (at < 0) at = pageText.flat.indexOf(wanted);
    if (at < 0 || !wanted) return null;
    var start = pageText.map[at], end = pageText.map[at + wanted.length - 1];
    var range = document.createRange();
    range.setStart(start[0], start[1]);
    range.setEnd(end[0], end[1] + 1);
    pageText.from = at + wanted.length;
    return range;
  }

  function highlight(cue) {
    ui.caption.textContent = cue ? cue.text : "";
    if (!canHighlight) { ui.caption.hidden = !cue; return; }
    CSS.highlights.delete("reader-sentence");
    var range = cue && rangeOf(cue.text);
    ui.caption.hidden = !!range || !cue;
    if (!range) return;
    CSS.highlights.set("reader-sentence", new Highlight(range));
    var box = range.getBoundingClientRect();
    var bottom = window.innerHeight - (player ? player.offsetHeight : 0);
    if (box.top < 0 || box.bottom > bottom) {
      var target = range.startContainer.parentElement;
      if (target) target.scrollIntoView({ block: "center", behavior: reduceMotion ? "auto" : "smooth" });
    }
  }

  /* ---- the player ---- */
  function buildPlayer() {
    player = el("section", { "class": "rw-player", role: "region", "aria-label": t.player, lang: lang });
    var row = el("div", { "class": "rw-row" });
    ui.play = iconButton(t.play, "▶");
    ui.prev = iconButton(t.prev, "⏮");
    ui.back = iconButton(t.back, "−10s");
    ui.fwd = iconButton(t.fwd, "+10s");
    ui.next = iconButton(t.next, "⏭");
    ui.bar = el("div", { "class": "rw-bar", role: "slider", tabindex: "0", "aria-label": t.progress,
      "aria-valuemin": "1", "aria-valuemax": "1", "aria-valuenow": "1" });
    ui.fill = el("div", { "class": "rw-fill" });
    ui.bar.appendChild(ui.fill);
    ui.speed = el("select", { "aria-label": t.speed });
    SPEEDS.forEach(function (s) {
      var option = el("option", { value: String(s) }, s + "×");
      if (s === 1) option.selected = true;
      ui.speed.appendChild(option);
    });
    ui.voice = el("select", { "aria-label": t.voice });
    ui.download = el("a", { download: "" });
    ui.download.appendChild(el("span", { "aria-hidden": "true" }, "⬇ MP3"));
    ui.download.appendChild(el("span", { "class": "rw-sr" }, t.download));
    ui.close = iconButton(t.close, "✕");
    [ui.play, ui.prev, ui.back, ui.fwd, ui.next, ui.bar, ui.speed, ui.voice, ui.download, ui.close]
      .forEach(function (node) { row.appendChild(node); });
    ui.status = el("div", { "class": "rw-status", role: "status", "aria-live": "polite" });
    ui.caption = el("div", { "class": "rw-caption", "aria-hidden": "true" });
    ui.caption.hidden = true;
    ui.retry = el("button", { type: "button" }, t.retry);
    ui.retry.hidden = true;
    player.appendChild(row);
    player.appendChild(ui.status);
    player.appendChild(ui.retry);
    player.appendChild(ui.caption);
    document.body.appendChild(player);

    ui.play.addEventListener("click", toggle);
    ui.prev.addEventListener("click", function () { go(index - 1); });
    ui.next.addEventListener("click", function () { go(index + 1); });
    ui.back.addEventListener("click", function () { skip(-10); });
    ui.fwd.addEventListener("click", function () { skip(10); });
    ui.speed.addEventListener("change", function () { setSpeed(+ui.speed.value); });
    ui.voice.addEventListener("change", function () { changeVoice(ui.voice.value); });
    ui.close.addEventListener("click", close);
    ui.retry.addEventListener("click", function () { load(voice); });
    ui.bar.addEventListener("keydown", sliderKeys);
    ui.bar.addEventListener("click", function (event) {
      var box = ui.bar.getBoundingClientRect();
      go(Math.floor(((event.clientX - box.left) / box.width) * cues.length));
    });
    player.addEventListener("keydown", function (event) {
      if (event.key === "Escape") { event.preventDefault(); close(); }
    });
  }

  function sliderKeys(event) {
    var moves = { ArrowLeft: -1, ArrowDown: -1, ArrowRight: 1, ArrowUp: 1, PageDown: -5, PageUp: 5 };
    if (event.key in moves) { event.preventDefault(); go(Math.max(0, index + moves[event.key])); }
    else if (event.key === "Home") { event.preventDefault(); go(0); }
    else if (event.key === "End") { event.preventDefault(); go(cues.length - 1); }
  }

  function say(text) { ui.status.textContent = text; }

  function showProgress() {
    var total = cues.length || 1, now = Math.max(index, 0) + 1;
    ui.bar.setAttribute("aria-valuemax", String(total));
    ui.bar.setAttribute("aria-valuenow", String(now));
    ui.bar.setAttribute("aria-valuetext", fmt(t.sentence, now, total));
    ui.fill.style.width = (100 * now / total) + "%";
  }

  function setPlaying(playing) {
    ui.play.firstChild.textContent = playing ? "⏸" : "▶";
    ui.play.lastChild.textContent = playing ? t.pause : t.play;
    button.setAttribute("aria-pressed", playing ? "true" : "false");
    if (navigator.mediaSession) navigator.mediaSession.playbackState = playing ? "playing" : "paused";
  }

  function clipUrl(cue) { return service + cue.clip; }

  function prefetch(from) {
    for (var i = from; i < Math.min(cues.length, from + 2); i++) {
      var url = clipUrl(cues[i]);
      if (!cache[url]) {
        cache[url] = fetch(url).then(function (r) { return r.ok ? r.blob() : null; })
          .catch(function () { return null; });
      }
    }
  }

  function go(target, keepTime) {
    if (!cues.length) return;
    if (target >= cues.length) { index = cues.length - 1; finish(); return; }
    index = Math.max(0, target);
    showProgress();
    var cue = cues[index];
    highlight(cue);
    ui.retry.hidden = true;
    if (useDevice) { speakDevice(cue); return; }
    var url = clipUrl(cue);
    say(t.loading);
    audio.src = url;
    audio.playbackRate = speed;
    audio.preservesPitch = true;
    if (keepTime) audio.currentTime = keepTime;
    audio.play().then(function () { say(""); setPlaying(true); }, function () { failed(); });
    prefetch(index + 1);
  }

  function speakDevice(cue) {
    speechSynthesis.cancel();
    var utterance = new SpeechSynthesisUtterance(cue.spoken);
    var vi = deviceVoices()[0];
    try { if (vi) utterance.voice = vi; } catch (e) { /* lang alone picks a Vietnamese voice */ }
    utterance.lang = "vi-VN";
    utterance.rate = speed;
    utterance.onend = function () { if (useDevice && !closed) go(index + 1); };
    speechSynthesis.speak(utterance);
    setPlaying(true);
  }

  var closed = false;
  function toggle() {
    if (useDevice) {
      if (speechSynthesis.paused) { speechSynthesis.resume(); setPlaying(true); }
      else { speechSynthesis.pause(); setPlaying(false); }
      return;
    }
    if (index < 0) { go(0); return; }
    if (audio.paused) { audio.play(); setPlaying(true); } else { audio.pause(); setPlaying(false); }
  }

  function skip(seconds) {
    if (useDevice || index < 0) return;
    var time = audio.currentTime + seconds;
    if (time < 0) { if (index > 0) go(index - 1); else audio.currentTime = 0; }
    else if (audio.duration && time > audio.duration) go(index + 1);
    else audio.currentTime = time;
  }

  function setSpeed(value) {
    speed = value;
    audio.playbackRate = value;
    if (useDevice && index >= 0) speakDevice(cues[index]);
  }

  function finish() {
    setPlaying(false);
    highlight(null);
    say(t.done);
  }

  function failed() {
    setPlaying(false);
    say(t.failed);
    ui.retry.hidden = false;
  }

  function deviceVoices() {
    if (!("speechSynthesis" in window)) return [];
    return speechSynthesis.getVoices().filter(function (v) { return /^vi/i.test(v.lang); });
  }

  function fillVoices(offered) {
    ui.voice.textContent = "";
    (offered || []).forEach(function (name) {
      var option = el("option", { value: name }, VOICE_NAMES[name] || name);
      if (name === voice) option.selected = true;
      ui.voice.appendChild(option);
    });
    if (deviceVoices().length) ui.voice.appendChild(el("option", { value: "device" }, t.device));
    ui.voice.hidden = ui.voice.options.length < 2;
  }

  function changeVoice(value) {
    if (value === "device") {
      useDevice = true;
      audio.pause();
      go(Math.max(index, 0));
      return;
    }
    if (useDevice) { speechSynthesis.cancel(); useDevice = false; }
    var resume = Math.max(index, 0);
    load(value, resume);
  }

  function load(chosenVoice, startAt) {
    closed = false;
    say(t.loading);
    ui.retry.hidden = true;
    var url = service + "/v1/listen?url=" + encodeURIComponent(articleUrl()) +
      (chosenVoice ? "&voice=" + encodeURIComponent(chosenVoice) : "");
    return fetch(url)
      .then(function (response) {
        if (!response.ok) throw new Error(String(response.status));
        return response.json();
      })
      .then(function (result) {
        manifest = result;
        cues = result.cues || [];
        voice = result.voice;
        fillVoices(result.voices);
        ui.download.href = service + result.audio;
        pageText = null;
        mediaSession(result);
        go(startAt || 0);
      })
      .catch(failed);
  }

  function mediaSession(result) {
    if (!navigator.mediaSession || typeof MediaMetadata !== "function") return;
    navigator.mediaSession.metadata = new MediaMetadata({ title: result.title, artist: location.hostname });
    var actions = {
      play: toggle, pause: toggle,
      previoustrack: function () { go(index - 1); }, nexttrack: function () { go(index + 1); },
      seekbackward: function () { skip(-10); }, seekforward: function () { skip(10); }
    };
    for (var name in actions) {
      try { navigator.mediaSession.setActionHandler(name, actions[name]); } catch (e) { /* unsupported */ }
    }
  }

  function close() {
    closed = true;
    audio.pause();
    if ("speechSynthesis" in window) speechSynthesis.cancel();
    setPlaying(false);
    highlight(null);
    if (player) player.hidden = true;
    button.focus();
  }

  function open(startAt) {
    if (!player) buildPlayer();
    player.hidden = false;
    ui.play.focus();
    if (manifest && !closed) return;
    if (manifest) { closed = false; go(startAt || 0); return; }
    load("", startAt);
  }

  function cueAt(text) {
    var wanted = squash(text);
    for (var i = 0; i < cues.length; i++) {
      if (wanted && (squash(cues[i].text).indexOf(wanted) >= 0 || wanted.indexOf(squash(cues[i].text)) >= 0)) return i;
    }
    return -1;
  }

  audio.addEventListener("ended", function () { if (!useDevice) go(index + 1); });
  audio.addEventListener("error", function () { if (index >= 0 && !closed) failed(); });
  audio.addEventListener("pause", function () { if (!audio.ended) setPlaying(false); });

  button.setAttribute("aria-pressed", "false");
  button.addEventListener("click", function (event) {
    event.preventDefault();
    var selection = window.getSelection && String(window.getSelection()).trim();
    if (player && !player.hidden && manifest) {
      var from = selection ? cueAt(selection) : -1;
      if (from >= 0) go(from); else toggle();
      return;
    }
    open();
    if (selection && manifest) { var at = cueAt(selection); if (at >= 0) go(at); }
  });

  /* Click a paragraph while the player is open: read from there. */
  document.addEventListener("click", function (event) {
    if (!player || player.hidden || !cues.length || player.contains(event.target)) return;
    var block = event.target.closest && event.target.closest("p, li, h1, h2, h3, td");
    if (!block || block.closest("a, button")) return;
    var at = cueAt(block.textContent.slice(0, 60));
    if (at >= 0) go(at);
  });

  /* A small handle for the page's own scripts (and tests): read-only state, open and close. */
  window.readerWidget = {
    audio: audio,
    open: open,
    close: close,
    get index() { return index; },
    get cue() { return cues[index] || null; },
    get cues() { return cues.slice(); }
  };

  if ("speechSynthesis" in window) {
    speechSynthesis.addEventListener && speechSynthesis.addEventListener("voiceschanged", function () {
      if (player && manifest) fillVoices(manifest.voices);
    });
  }
})();
