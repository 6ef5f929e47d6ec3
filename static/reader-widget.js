/* reader-service widget: "Đọc nội dung" for portal article pages. No build step, no dependency.
 *
 *   <script src="https://reader.example/static/reader-widget.js" defer
 *           data-lang="vi" data-button="#doc-noi-dung" data-url="https://..."></script>
 *
 * data-service  the service's origin (default: where this script comes from)
 * data-button   CSS selector of the page's own button (default: a button or link whose text is
 *               "Đọc nội dung"; one is added before the article's headline when there is none)
 * data-url      the article to read (default: <meta name="reader-url"> or this page)
 * data-lang     "vi" (default) or "en" for the player's labels
 *
 * Text goes into the page with textContent only; the portal's DOM is never rewritten (the
 * sentence being read is highlighted with the CSS Custom Highlight API, else shown in a caption).
 * The portal's own button keeps its semantics: the widget adds no ARIA state to it.
 */
(function () {
  "use strict";
  var script = document.currentScript;
  var data = (script && script.dataset) || {};
  var service = data.service || (script && script.src ? new URL(script.src).origin : "");
  var T = {
    vi: {
      read: "Đọc nội dung", player: "Trình đọc nội dung", play: "Phát", pause: "Tạm dừng",
      prev: "Câu trước", next: "Câu tiếp theo", back: "Tua lại 10 giây", fwd: "Tua tới 10 giây",
      progress: "Vị trí đọc", sentence: "Câu {0} trên {1}", position: "Câu {0}/{1}",
      speed: "Tốc độ đọc", voice: "Giọng đọc", device: "Giọng của thiết bị (tự nhiên)",
      download: "Tải về tệp MP3", options: "Tùy chọn", close: "Đóng trình đọc",
      loading: "Đang tạo âm thanh…", failed: "Không đọc được bài viết.",
      notAllowed: "Trang này chưa được bật tính năng đọc nội dung.", retry: "Thử lại",
      done: "Đã đọc xong. Bấm Phát để nghe lại từ đầu.", resumed: "Tiếp tục từ câu {0}.",
      north: "Giọng Bắc (máy chủ)", central: "Giọng Trung (máy chủ)", south: "Giọng Nam (máy chủ)",
      time: "Đã nghe {0} trên khoảng {1}"
    },
    en: {
      read: "Read aloud", player: "Article reader", play: "Play", pause: "Pause",
      prev: "Previous sentence", next: "Next sentence", back: "Back 10 seconds",
      fwd: "Forward 10 seconds", progress: "Reading position", sentence: "Sentence {0} of {1}",
      position: "Sentence {0}/{1}", speed: "Reading speed", voice: "Voice",
      device: "Device voice (natural)", download: "Download MP3", options: "Options",
      close: "Close the reader", loading: "Preparing audio…", failed: "Could not read the article.",
      notAllowed: "Reading aloud is not enabled for this page.", retry: "Retry",
      done: "Finished. Press Play to listen again.", resumed: "Resuming at sentence {0}.",
      north: "Northern voice (server)", central: "Central voice (server)",
      south: "Southern voice (server)", time: "{0} of about {1}"
    }
  };
  var lang = data.lang === "en" ? "en" : "vi";
  var t = T[lang];
  var VOICE_NAMES = { "vi": t.north, "vi-VN-x-central": t.central, "vi-VN-x-south": t.south };
  var SPEEDS = [0.75, 1, 1.25, 1.5, 2];
  var reduceMotion = window.matchMedia && matchMedia("(prefers-reduced-motion: reduce)").matches;
  var canHighlight = typeof CSS !== "undefined" && CSS.highlights && typeof Highlight === "function";
  var SVG = "http://www.w3.org/2000/svg";
  /* Icons drawn here (24×24): no font needs to have the symbols. f: filled shape, s: strokes. */
  var ICONS = {
    play: { f: "M8 5v14l11-7z" },
    pause: { f: "M6 5h4v14H6zM14 5h4v14h-4z" },
    prev: { f: "M5 5h2.5v14H5zM19 5v14L8.5 12z" },
    next: { f: "M16.5 5H19v14h-2.5zM5 5v14l10.5-7z" },
    back: { f: "M11.5 6v12L3 12zM21 6v12l-8.5-6z" },
    fwd: { f: "M3 6v12l8.5-6zM12.5 6v12L21 12z" },
    options: { s: "M4 7h9M17 7h3M4 17h3M11 17h9M15 5v4M9 15v4" },
    download: { s: "M12 4v11M7 10.5l5 5 5-5M5 20h14" },
    close: { s: "M6 6l12 12M18 6L6 18" }
  };

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    for (var key in attrs || {}) node.setAttribute(key, attrs[key]);
    if (text !== undefined) node.textContent = text;
    return node;
  }
  function icon(name) {
    var svg = document.createElementNS(SVG, "svg");
    svg.setAttribute("viewBox", "0 0 24 24");
    svg.setAttribute("aria-hidden", "true");
    svg.setAttribute("focusable", "false");
    svg.setAttribute("class", "rw-icon");
    var path = document.createElementNS(SVG, "path");
    var shape = ICONS[name];
    path.setAttribute("d", shape.f || shape.s);
    if (shape.s) {
      path.setAttribute("fill", "none");
      path.setAttribute("stroke", "currentColor");
      path.setAttribute("stroke-width", "2.2");
      path.setAttribute("stroke-linecap", "round");
      path.setAttribute("stroke-linejoin", "round");
    } else {
      path.setAttribute("fill", "currentColor");
    }
    svg.appendChild(path);
    return svg;
  }
  /* A control with an icon, its name for assistive technology, a tooltip, and (where given a
   * class) a short visible word beside the icon on wider screens. */
  function iconControl(tag, name, label, wordClass) {
    var node = el(tag, tag === "button" ? { type: "button", title: label } : { title: label });
    node.appendChild(icon(name));
    node.appendChild(el("span", { "class": wordClass || "rw-sr" }, label));
    return node;
  }
  function fmt(template) {
    var args = arguments;
    return template.replace(/\{(\d)\}/g, function (_, i) { return args[+i + 1]; });
  }
  function squash(text) { return text.replace(/\s+/g, " ").trim(); }
  function clock(seconds) {
    seconds = Math.max(0, Math.round(seconds || 0));
    var s = seconds % 60;
    return Math.floor(seconds / 60) + ":" + (s < 10 ? "0" : "") + s;
  }
  var store = {
    get: function (key) {
      try { return JSON.parse(localStorage.getItem("reader-widget:" + key)); } catch (e) { return null; }
    },
    set: function (key, value) {
      try { localStorage.setItem("reader-widget:" + key, JSON.stringify(value)); } catch (e) { /* private mode */ }
    }
  };

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
    /* None: one is added with the article, right before its headline. */
    var added = el("button", { type: "button", "class": "rw-launch" });
    added.appendChild(icon("play"));
    added.appendChild(el("span", {}, t.read));
    var headline = document.querySelector("article h1, main h1, h1");
    if (headline && headline.parentNode) headline.parentNode.insertBefore(added, headline);
    else document.body.insertBefore(added, document.body.firstChild);
    return added;
  }

  /* ---- styles (scoped to the widget; ≥ 4.5:1 contrast, 44 px targets) ---- */
  var css =
    ".rw-player{position:fixed;left:0;right:0;bottom:0;z-index:2147483000;background:#fff;" +
    "color:#111;border-top:2px solid #0b5394;box-shadow:0 -2px 8px rgba(0,0,0,.2);" +
    "padding:2px 8px 4px;font:16px/1.3 system-ui,Arial,sans-serif;box-sizing:border-box;" +
    "max-height:60vh;overflow:auto}" +
    ".rw-player *{box-sizing:border-box}" +
    ".rw-row{display:flex;flex-wrap:wrap;gap:3px;align-items:center}" +
    ".rw-player button,.rw-player select,.rw-player a{font:inherit;min-height:44px;min-width:44px;" +
    "padding:4px 8px;border:1px solid #0b5394;border-radius:6px;background:#eef4fb;color:#0b2e59;" +
    "text-decoration:none;display:inline-flex;align-items:center;justify-content:center;gap:6px;" +
    "cursor:pointer}" +
    ".rw-player button.rw-main{background:#0b5394;color:#fff}" +
    // A `display` rule above must never show what is marked hidden.
    ".rw-player [hidden],.rw-player[hidden],.rw-launch[hidden]{display:none!important}" +
    ".rw-player :focus-visible,.rw-launch:focus-visible{outline:3px solid #b34700;outline-offset:2px}" +
    ".rw-icon{width:24px;height:24px;flex:none}" +
    ".rw-pos{flex:1 1 auto;min-width:2.5em;text-align:center;font-weight:600;color:#0b2e59;" +
    "white-space:nowrap;overflow:hidden;text-overflow:ellipsis}" +
    ".rw-status:empty{display:none}.rw-status{margin:4px 0}.rw-caption{margin:4px 0;font-weight:600}" +
    ".rw-bar{order:-1;flex:1 1 100%;height:20px;position:relative;cursor:pointer;touch-action:none}" +
    ".rw-bar::before{content:'';position:absolute;left:0;right:0;top:6px;height:8px;" +
    "background:#c9d7e6;border-radius:4px}" +
    ".rw-fill{position:absolute;left:0;top:6px;height:8px;background:#0b5394;border-radius:4px}" +
    ".rw-panel{display:flex;flex-wrap:wrap;gap:8px;align-items:center;padding:6px 0;" +
    "border-bottom:1px solid #c9d7e6;margin-bottom:4px}" +
    ".rw-panel label{display:inline-flex;align-items:center;gap:6px}" +
    ".rw-sr{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);" +
    "white-space:nowrap}" +
    ".rw-word{display:none}" +
    "@media (min-width:640px){.rw-word{display:inline}}" +
    "@media (max-width:400px){.rw-pos .rw-long{display:none}}" +
    // Under 360 px seven 44 px controls do not fit a row: ±10 s move into Tùy chọn.
    ".rw-narrow{display:none!important}" +
    "@media (max-width:360px){.rw-row .rw-seek{display:none!important}" +
    ".rw-panel .rw-narrow:not([hidden]){display:inline-flex!important}}" +
    ".rw-launch{font:600 16px/1.3 system-ui,Arial,sans-serif;min-height:44px;padding:6px 14px;" +
    "border:1px solid #0b5394;border-radius:6px;background:#0b5394;color:#fff;display:inline-flex;" +
    "align-items:center;gap:8px;margin:8px 0;cursor:pointer}" +
    "::highlight(reader-sentence){background:#ffe58a;color:#111}" +
    "@media (prefers-reduced-motion:reduce){.rw-player *{transition:none!important}}";
  document.head.appendChild(el("style", {}, css));

  var button = findButton();
  if (!button) return;

  /* ---- state ---- */
  var manifest = null, cues = [], index = -1, useDevice = false, voice = "";
  var saved = store.get("prefs") || {};
  var speed = SPEEDS.indexOf(saved.speed) >= 0 ? saved.speed : 1;
  var audio = new Audio();
  audio.preload = "auto";
  var cache = {}, durations = {};
  var player = null, ui = {};
  var pageText = null, places = null;
  var closed = false, ended = false;

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
    return { flat: flat, map: map };
  }

  /* Where each sentence is on the page, found once in reading order from the article's body:
   * the body's first sentence anchors it; the headline is its copy nearest before that (not the
   * breadcrumb's), and each sentence after is looked for after the one before (a byline that is
   * also a photo credit higher up is found at the end, where it is read). */
  function locate() {
    pageText = indexPage();
    var flat = pageText.flat, found = [], i;
    var first = 0;
    while (first < cues.length && cues[first].paragraph === 0) first++;
    var anchor = first < cues.length ? flat.indexOf(squash(cues[first].text)) : -1;
    for (i = 0; i < first; i++) {
      var title = squash(cues[i].text), at = -1, next;
      if (anchor >= 0) {
        next = flat.lastIndexOf(title, anchor);
        at = next;
      }
      found[i] = at >= 0 ? at : flat.indexOf(title);
    }
    var from = anchor >= 0 ? anchor : 0;
    for (i = first; i < cues.length; i++) {
      var wanted = squash(cues[i].text);
      var where = wanted ? flat.indexOf(wanted, from) : -1;
      if (where < 0 && wanted) where = flat.indexOf(wanted);
      found[i] = where;
      if (where >= 0) from = where + wanted.length;
    }
    places = found;
  }

  function rangeOf(number) {
    if (!places) locate();
    var at = places[number], wanted = squash(cues[number].text);
    if (at === undefined || at < 0 || !wanted) return null;
    var start = pageText.map[at], end = pageText.map[at + wanted.length - 1];
    if (!start || !end || !start[0].isConnected || !end[0].isConnected) return null;
    var range = document.createRange();
    range.setStart(start[0], start[1]);
    range.setEnd(end[0], end[1] + 1);
    return range;
  }

  function highlight(number) {
    var cue = number >= 0 ? cues[number] : null;
    ui.caption.textContent = cue ? cue.text : "";
    if (!canHighlight) { ui.caption.hidden = !cue; return; }
    CSS.highlights.delete("reader-sentence");
    var range = cue && rangeOf(number);
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
    ui.panel = el("div", { "class": "rw-panel", id: "rw-options" });
    ui.panel.hidden = true;
    var speedLabel = el("label", {}, t.speed);
    ui.speed = el("select", {});
    SPEEDS.forEach(function (s) {
      var option = el("option", { value: String(s) }, s + "×");
      if (s === speed) option.selected = true;
      ui.speed.appendChild(option);
    });
    speedLabel.appendChild(ui.speed);
    var voiceLabel = el("label", {}, t.voice);
    ui.voice = el("select", {});
    voiceLabel.appendChild(ui.voice);
    ui.voiceLabel = voiceLabel;
    voiceLabel.hidden = true;  // until the service has said which voices it has
    ui.download = iconControl("a", "download", t.download, "rw-dl");
    ui.download.setAttribute("download", "");
    ui.download.hidden = true;  // until there is an article to download
    ui.time = el("span", { "class": "rw-time" });
    ui.back2 = iconControl("button", "back", t.back, "rw-word");
    ui.fwd2 = iconControl("button", "fwd", t.fwd, "rw-word");
    ui.back2.classList.add("rw-narrow");
    ui.fwd2.classList.add("rw-narrow");
    [ui.back2, ui.fwd2, speedLabel, voiceLabel, ui.download, ui.time]
      .forEach(function (n) { ui.panel.appendChild(n); });

    ui.status = el("div", { "class": "rw-status", role: "status", "aria-live": "polite" });
    ui.retry = el("button", { type: "button" }, t.retry);
    ui.retry.hidden = true;
    ui.caption = el("div", { "class": "rw-caption", "aria-hidden": "true" });
    ui.caption.hidden = true;

    var row = el("div", { "class": "rw-row" });
    ui.play = iconControl("button", "play", t.play, "rw-word");
    ui.play.classList.add("rw-main");
    ui.play.setAttribute("aria-label", t.play);
    ui.prev = iconControl("button", "prev", t.prev);
    ui.back = iconControl("button", "back", t.back);
    ui.fwd = iconControl("button", "fwd", t.fwd);
    ui.back.classList.add("rw-seek");
    ui.fwd.classList.add("rw-seek");
    ui.next = iconControl("button", "next", t.next);
    ui.pos = el("span", { "class": "rw-pos", "aria-hidden": "true" });
    ui.bar = el("div", { "class": "rw-bar", role: "slider", tabindex: "0", "aria-label": t.progress,
      "aria-valuemin": "1", "aria-valuemax": "1", "aria-valuenow": "1" });
    ui.fill = el("div", { "class": "rw-fill" });
    ui.bar.appendChild(ui.fill);
    ui.options = iconControl("button", "options", t.options, "rw-word");
    ui.options.setAttribute("aria-expanded", "false");
    ui.options.setAttribute("aria-controls", "rw-options");
    ui.options.setAttribute("aria-label", t.options);
    ui.close = iconControl("button", "close", t.close);
    [ui.play, ui.prev, ui.back, ui.fwd, ui.next, ui.pos, ui.bar, ui.options, ui.close]
      .forEach(function (node) { row.appendChild(node); });
    [ui.panel, ui.status, ui.retry, ui.caption, row].forEach(function (n) { player.appendChild(n); });
    document.body.appendChild(player);

    ui.play.addEventListener("click", toggle);
    ui.prev.addEventListener("click", function () { go(index - 1); });
    ui.next.addEventListener("click", function () { go(index + 1); });
    [ui.back, ui.back2].forEach(function (b) { b.addEventListener("click", function () { skip(-10); }); });
    [ui.fwd, ui.fwd2].forEach(function (b) { b.addEventListener("click", function () { skip(10); }); });
    ui.speed.addEventListener("change", function () { setSpeed(+ui.speed.value); });
    ui.voice.addEventListener("change", function () { changeVoice(ui.voice.value); });
    ui.options.addEventListener("click", function () {
      var open = ui.panel.hidden;
      ui.panel.hidden = !open;
      ui.options.setAttribute("aria-expanded", open ? "true" : "false");
    });
    ui.close.addEventListener("click", close);
    ui.retry.addEventListener("click", function () { load(voice); });
    ui.bar.addEventListener("keydown", sliderKeys);
    ui.bar.addEventListener("click", function (event) {
      var box = ui.bar.getBoundingClientRect();
      go(Math.floor(((event.clientX - box.left) / box.width) * cues.length));
    });
  }

  function sliderKeys(event) {
    var moves = { ArrowLeft: -1, ArrowDown: -1, ArrowRight: 1, ArrowUp: 1, PageDown: -5, PageUp: 5 };
    if (event.key in moves) { event.preventDefault(); go(Math.max(0, index + moves[event.key])); }
    else if (event.key === "Home") { event.preventDefault(); go(0); }
    else if (event.key === "End") { event.preventDefault(); go(cues.length - 1); }
  }

  function say(text) { ui.status.textContent = text; }

  /* Seconds of speech per spoken character, from the clips heard so far (a guess before). */
  function perCharacter() {
    var known = 0, chars = 0;
    for (var k in durations) { known += durations[k]; chars += cues[k].spoken.length; }
    return chars ? known / chars : 0.075 / speed;
  }

  function showProgress() {
    var total = cues.length || 1, now = Math.max(index, 0) + 1;
    ui.bar.setAttribute("aria-valuemax", String(total));
    ui.bar.setAttribute("aria-valuenow", String(now));
    ui.bar.setAttribute("aria-valuetext", fmt(t.sentence, now, total));
    ui.fill.style.width = (100 * now / total) + "%";
    ui.pos.textContent = "";
    ui.pos.appendChild(el("span", { "class": "rw-long" }, lang === "vi" ? "Câu " : "Sentence "));
    ui.pos.appendChild(document.createTextNode(now + "/" + total));
    ui.clock = el("span", { "class": "rw-word" });
    ui.pos.appendChild(ui.clock);
    showTime();
  }

  function showTime() {
    if (!cues.length) return;
    /* Each sentence: measured once its clip has played, else estimated. */
    var done = 0, all = 0, rate = perCharacter();
    for (var i = 0; i < cues.length; i++) {
      var s = durations[i] || cues[i].spoken.length * rate;
      all += s;
      if (i < index) done += s;
    }
    if (!useDevice && index >= 0) done += audio.currentTime || 0;
    ui.time.textContent = fmt(t.time, clock(done), clock(all));
    // On wider screens the bar shows the time too: "Câu 4/11 · 0:42 / 3:45".
    if (ui.clock) ui.clock.textContent = " · " + clock(done) + " / " + clock(all);
  }

  function setPlaying(playing) {
    ui.play.replaceChild(icon(playing ? "pause" : "play"), ui.play.firstChild);
    ui.play.lastChild.textContent = playing ? t.pause : t.play;
    ui.play.setAttribute("aria-label", playing ? t.pause : t.play);
    ui.play.title = playing ? t.pause : t.play;
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

  function remember() {
    if (manifest) store.set("at:" + articleUrl(), index);
  }

  /* ---- listening statistics: counts only, nothing about the listener ----
   * Each milestone of a listen (started; 25, 50, 75 % of the sentences reached; finished) is
   * sent once per page view with navigator.sendBeacon: no cookie, no identifier, no storage.
   * Nothing is sent when the browser asks not to be tracked (Global Privacy Control, Do Not
   * Track); the service ignores such requests too. */
  var reported = {};
  function privacyAsked() {
    return navigator.globalPrivacyControl === true || navigator.doNotTrack === "1" ||
      window.doNotTrack === "1";
  }
  function report(event) {
    if (!manifest || reported[event] || privacyAsked() || !navigator.sendBeacon) return;
    reported[event] = true;
    var body = { article: manifest.id, event: event };
    if (event === "started") { body.speed = speed; body.voice = useDevice ? "device" : voice; }
    try { navigator.sendBeacon(service + "/v1/events", JSON.stringify(body)); } catch (e) { /* best effort */ }
  }
  function reportProgress() {
    report("started");
    [25, 50, 75].forEach(function (part) {
      if (index / cues.length >= part / 100) report(String(part));
    });
  }

  function go(target, keepTime) {
    if (!cues.length) return;
    if (target >= cues.length) { index = cues.length - 1; finish(); return; }
    ended = false;
    index = Math.max(0, target);
    remember();
    reportProgress();
    showProgress();
    highlight(index);
    ui.retry.hidden = true;
    if (useDevice) { audio.pause(); speakDevice(cues[index]); return; }
    var url = clipUrl(cues[index]);
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
    say("");
    setPlaying(true);
  }

  function toggle() {
    if (ended || index < 0) { go(0); return; }  // after the end, Play reads it again
    if (useDevice) {
      if (speechSynthesis.paused) { speechSynthesis.resume(); setPlaying(true); }
      else if (speechSynthesis.speaking) { speechSynthesis.pause(); setPlaying(false); }
      else speakDevice(cues[index]);
      return;
    }
    if (audio.paused) { audio.play(); setPlaying(true); } else { audio.pause(); setPlaying(false); }
  }

  function skip(by) {
    if (useDevice || index < 0) return;
    var time = audio.currentTime + by;
    if (time < 0) { if (index > 0) go(index - 1); else audio.currentTime = 0; }
    else if (audio.duration && time > audio.duration) go(index + 1);
    else audio.currentTime = time;
  }

  function setSpeed(value) {
    speed = value;
    audio.playbackRate = value;
    savePrefs();
    if (useDevice && index >= 0 && !ended) speakDevice(cues[index]);
  }

  function savePrefs() {
    store.set("prefs", { speed: speed, voice: useDevice ? "device" : voice });
  }

  function finish() {
    report("100");
    ended = true;
    setPlaying(false);
    highlight(-1);
    say(t.done);
    store.set("at:" + articleUrl(), 0);
  }

  function failed(reason) {
    setPlaying(false);
    say(reason || t.failed);
    ui.retry.hidden = reason === t.notAllowed;
  }

  function deviceVoices() {
    if (!("speechSynthesis" in window)) return [];
    return speechSynthesis.getVoices().filter(function (v) { return /^vi/i.test(v.lang); });
  }

  function fillVoices(offered) {
    ui.voice.textContent = "";
    if (deviceVoices().length) {
      var device = el("option", { value: "device" }, t.device);
      if (useDevice) device.selected = true;
      ui.voice.appendChild(device);
    }
    (offered || []).forEach(function (name) {
      var option = el("option", { value: name }, VOICE_NAMES[name] || name);
      if (name === voice && !useDevice) option.selected = true;
      ui.voice.appendChild(option);
    });
    ui.voiceLabel.hidden = ui.voice.options.length < 2;
  }

  function changeVoice(value) {
    if (value === "device") {
      useDevice = true;
      savePrefs();
      audio.pause();
      go(Math.max(index, 0));
      return;
    }
    if (useDevice) { speechSynthesis.cancel(); useDevice = false; }
    load(value, Math.max(index, 0));
  }

  /* The device's own Vietnamese voice is offered first where the service speaks with the
   * robotic offline voice; a listener's earlier choice wins. */
  function preferDevice(result) {
    if (!deviceVoices().length) return false;
    if (saved.voice) return saved.voice === "device";
    return result.engine === "espeak";
  }

  function load(chosenVoice, startAt, selection) {
    closed = false;
    say(t.loading);
    ui.retry.hidden = true;
    var url = service + "/v1/listen?url=" + encodeURIComponent(articleUrl()) +
      (chosenVoice ? "&voice=" + encodeURIComponent(chosenVoice) : "");
    return fetch(url)
      .then(function (response) {
        return response.json().catch(function () { return {}; }).then(function (body) {
          if (response.ok) return body;
          var error = (body && body.error) || {};
          if (error.code === "host_not_allowed") {
            console.warn("reader-service: " + error.message + " Người quản trị dịch vụ cần thêm " +
              "máy chủ của trang vào READER_ALLOWED_HOSTS.");
            throw new Error(t.notAllowed);
          }
          throw new Error("");
        });
      })
      .then(function (result) {
        if (!manifest || manifest.id !== result.id) reported = {};  // a new voice: the same listen
        manifest = result;
        cues = result.cues || [];
        voice = result.voice;
        durations = {};
        if (!chosenVoice) useDevice = preferDevice(result);
        fillVoices(result.voices);
        ui.download.href = service + result.audio;
        ui.download.hidden = false;
        places = null;
        mediaSession(result);
        var at = selection ? cueAt(selection) : -1;
        if (at < 0 && startAt === undefined) {
          at = store.get("at:" + articleUrl()) || 0;
          if (at > 0 && at < cues.length) say(fmt(t.resumed, at + 1));
        }
        go(at >= 0 ? at : startAt || 0);
      })
      .catch(function (error) { failed(error && error.message); });
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
    highlight(-1);
    if (player) player.hidden = true;
    button.focus();
  }

  /* Reopened on the same article: on from the sentence it stopped at. */
  function open(selection) {
    if (!player) buildPlayer();
    player.hidden = false;
    ui.play.focus();
    if (manifest && !closed) return;
    if (manifest) {
      closed = false;
      var at = selection ? cueAt(selection) : -1;
      go(at >= 0 ? at : ended ? 0 : Math.max(index, 0));
      return;
    }
    load("", undefined, selection);
  }

  function cueAt(text) {
    var wanted = squash(text);
    for (var i = 0; i < cues.length; i++) {
      if (wanted && (squash(cues[i].text).indexOf(wanted) >= 0 || wanted.indexOf(squash(cues[i].text)) >= 0)) return i;
    }
    return -1;
  }

  audio.addEventListener("ended", function () { if (!useDevice) go(index + 1); });
  audio.addEventListener("error", function () { if (index >= 0 && !closed && !useDevice) failed(); });
  audio.addEventListener("pause", function () { if (!audio.ended) setPlaying(false); });
  audio.addEventListener("loadedmetadata", function () {
    if (index >= 0 && isFinite(audio.duration)) durations[index] = audio.duration / (audio.playbackRate || 1);
  });
  audio.addEventListener("timeupdate", function () { if (player && !player.hidden) showTime(); });

  function press(event) {
    event.preventDefault();
    var selection = window.getSelection && String(window.getSelection()).trim();
    if (player && !player.hidden && manifest) {
      var from = selection ? cueAt(selection) : -1;
      if (from >= 0) go(from); else toggle();
      return;
    }
    open(selection);
  }
  button.addEventListener("click", press);
  /* A portal's link-styled "Đọc nội dung" answers Space as a button does. */
  if (button.tagName !== "BUTTON") {
    button.addEventListener("keydown", function (event) {
      if (event.key === " " || event.key === "Spacebar") press(event);
    });
  }

  /* Escape closes the player from anywhere, unless the visitor is typing in the page. */
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape" || !player || player.hidden) return;
    var active = document.activeElement;
    var typing = active && !player.contains(active) &&
      (/^(INPUT|TEXTAREA|SELECT)$/.test(active.tagName) || active.isContentEditable);
    if (typing) return;
    event.preventDefault();
    close();
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
    get cues() { return cues.slice(); },
    get device() { return useDevice; }
  };

  if ("speechSynthesis" in window) {
    speechSynthesis.addEventListener && speechSynthesis.addEventListener("voiceschanged", function () {
      if (player && manifest) fillVoices(manifest.voices);
    });
  }
})();
