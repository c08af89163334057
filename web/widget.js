/*! healthbot web widget: one script tag, shadow DOM, no build step.
 *
 * <script src="https://BOT/widget.js" data-bot-url="https://BOT" defer></script>
 *
 * Options (data- attributes): title, lang, locale, position (right|left), color (#rgb|#rrggbb),
 * storage (session|local|none), welcome, max-chars. API: HealthBot.open(), .close(), .send(text), .reset().
 *
 * Rules this file keeps: every string from the server or the patient goes through textContent
 * (no HTML parsing anywhere); nothing is written to storage before the patient first opens the chat;
 * styles live in the shadow root so the host page and the widget cannot restyle each other.
 */
(function () {
  "use strict";
  if (window.HealthBot && window.HealthBot.version) return; // loaded twice: keep the first

  var script = document.currentScript || document.querySelector("script[src*='widget.js']");
  var ds = (script && script.dataset) || {};

  var STRINGS = {
    en: {
      title: "Health questions", close: "Close chat", startOver: "Start over",
      inputLabel: "Your question", placeholder: "Type your question…", send: "Send",
      typing: "The assistant is typing", you: "You:", bot: "Assistant:",
      welcome: "Hello! Ask me about a health topic, for example “What is angioplasty?”",
      sources: "Sources", newTab: "(opens in a new tab)", emergency: "Emergency",
      suggestions: "Suggested questions", log: "Conversation", retry: "Try again", notSent: "Not sent.",
      network: "Sorry, the assistant could not be reached. Check your connection and try again.",
      server: "Sorry, something went wrong on our side. Please try again.",
      busy: "Too many messages at once. Please wait a moment and try again.",
      empty: "Type a question first.", limit: "Up to {max} characters.",
      tooLong: "Your message is {n} characters long; the limit is {max}. Please shorten it."
    },
    es: {
      title: "Preguntas de salud", close: "Cerrar el chat", startOver: "Empezar de nuevo",
      inputLabel: "Su pregunta", placeholder: "Escriba su pregunta…", send: "Enviar",
      typing: "El asistente está escribiendo", you: "Usted:", bot: "Asistente:",
      welcome: "¡Hola! Pregúnteme sobre un tema de salud, por ejemplo «¿Qué es la angioplastia?»",
      sources: "Fuentes", newTab: "(se abre en una pestaña nueva)", emergency: "Emergencia",
      suggestions: "Preguntas sugeridas", log: "Conversación", retry: "Reintentar", notSent: "No enviado.",
      network: "No se pudo contactar al asistente. Revise su conexión e inténtelo de nuevo.",
      server: "Algo salió mal de nuestro lado. Inténtelo de nuevo.",
      busy: "Demasiados mensajes seguidos. Espere un momento e inténtelo de nuevo.",
      empty: "Escriba una pregunta primero.", limit: "Hasta {max} caracteres.",
      tooLong: "Su mensaje tiene {n} caracteres; el límite es {max}. Acórtelo, por favor."
    }
  };

  var lang = (ds.lang || document.documentElement.lang || "en").toLowerCase();
  var T = STRINGS[lang.slice(0, 2)] || STRINGS.en;
  var scriptOrigin = script && script.src ? new URL(script.src, location.href).origin : location.origin;
  var botUrl = String(ds.botUrl || scriptOrigin).replace(/\/+$/, "");
  var title = ds.title || T.title;
  var side = ds.position === "left" ? "left" : "right";
  var maxChars = parseInt(ds.maxChars, 10) > 0 ? parseInt(ds.maxChars, 10) : 1000;
  var KEY = "healthbot:" + botUrl;
  var TIMEOUT_MS = 20000;
  var MAX_ITEMS = 200;

  // ---- colour: accept only hex, and pick the text colour that keeps AA contrast ----
  function parseHex(value) {
    var m = /^#([0-9a-f]{3}|[0-9a-f]{6})$/i.exec(String(value || "").trim());
    if (!m) return null;
    var h = m[1].length === 3 ? m[1].replace(/./g, "$&$&") : m[1];
    return [0, 2, 4].map(function (i) { return parseInt(h.slice(i, i + 2), 16); });
  }
  function luminance(rgb) {
    var c = rgb.map(function (v) { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); });
    return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2];
  }
  var primaryRgb = parseHex(ds.color) || parseHex("#0b5cad");
  var primary = "rgb(" + primaryRgb.join(",") + ")";
  var L = luminance(primaryRgb);
  var onPrimary = (1.05 / (L + 0.05)) >= ((L + 0.05) / 0.0616) ? "#ffffff" : "#111111";
  // Borders and focus rings on white need 3:1 (WCAG 1.4.11); a pale brand colour falls back to grey.
  var line = 1.05 / (L + 0.05) >= 3 ? primary : "#57606a";

  var CSS = [
    ":host{all:initial!important;display:block!important;position:fixed!important;top:auto!important;left:auto!important;bottom:0!important;right:0!important;width:0!important;height:0!important;margin:0!important;padding:0!important;border:0!important;z-index:2147483000!important;visibility:visible!important;opacity:1!important;transform:none!important;filter:none!important;contain:none!important}",
    "*,*::before,*::after{box-sizing:border-box}",
    "[hidden]{display:none!important}",
    ".root{--p:" + primary + ";--on-p:" + onPrimary + ";--line:" + line + ";font:15px/1.45 system-ui,-apple-system,'Segoe UI',Roboto,'Helvetica Neue',Arial,sans-serif;color:#1f2328;text-align:left;letter-spacing:normal;word-spacing:normal;text-transform:none;font-style:normal;font-weight:400;direction:ltr;-webkit-text-size-adjust:100%}",
    "button,textarea{font:inherit;color:inherit;margin:0;letter-spacing:inherit}",
    "button{cursor:pointer;border:0;background:none}",
    ":focus-visible{outline:3px solid #1f2328;outline-offset:2px}",
    ".sr{position:absolute!important;width:1px;height:1px;padding:0;margin:-1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap;border:0}",
    ".launcher{position:fixed;bottom:20px;" + side + ":20px;width:60px;height:60px;border-radius:50%;background:var(--p);color:var(--on-p);display:flex;align-items:center;justify-content:center;box-shadow:0 4px 14px rgba(0,0,0,.28);transition:transform .15s ease}",
    ".launcher:hover{transform:scale(1.05)}",
    ".launcher:focus-visible{outline-offset:3px}",
    ".launcher svg{width:28px;height:28px;fill:currentColor}",
    ".panel{position:fixed;bottom:92px;" + side + ":20px;width:380px;max-width:calc(100vw - 24px);height:min(620px,calc(var(--vh,100vh) - 112px));min-height:300px;background:#fff;border-radius:14px;box-shadow:0 10px 40px rgba(0,0,0,.3);display:flex;flex-direction:column;overflow:hidden;animation:hb-in .18s ease-out}",
    "@keyframes hb-in{from{opacity:0;transform:translateY(12px)}to{opacity:1;transform:none}}",
    "header{display:flex;align-items:center;gap:6px;padding:10px 10px 10px 16px;background:var(--p);color:var(--on-p)}",
    "h2{flex:1;margin:0;font-size:17px;font-weight:600;line-height:1.3}",
    "header button{color:var(--on-p);border-radius:8px;min-height:44px;padding:0 10px;font-size:14px}",
    "header button:hover{background:rgba(127,127,127,.25)}",
    "header :focus-visible{outline-color:var(--on-p)}",
    ".close{width:44px;font-size:26px!important;line-height:1}",
    ".log{flex:1;overflow-y:auto;padding:14px;display:flex;flex-direction:column;gap:8px;background:#f6f7f9;overscroll-behavior:contain}",
    ".msg{max-width:88%;padding:9px 12px;border-radius:12px;white-space:pre-wrap;overflow-wrap:anywhere;background:#fff;border:1px solid #d8dde3}",
    ".user{align-self:flex-end;background:var(--p);color:var(--on-p);border-color:transparent}",
    ".user.failed{background:#fff;color:#1f2328;border:2px dashed #b3261e}",
    ".state{display:block;font-size:13px;color:#8c1d18;font-weight:600}",
    ".bot{align-self:flex-start}",
    ".notice{background:#eef2f7;border-color:#c9d3df;font-size:14px;color:#2f3a47}",
    ".meta{background:none;border:0;padding:0 4px;font-size:13px;color:#4d5662}",
    ".emergency{background:#fdecea;border:2px solid #b3261e;color:#5c0f0b;font-weight:600}",
    ".emergency strong{display:block;text-transform:uppercase;font-size:13px;letter-spacing:.04em;color:#8c1d18}",
    ".sources{margin-top:8px;padding-top:6px;border-top:1px solid #e3e7ec;font-size:13.5px;white-space:normal}",
    ".sources p{margin:0 0 2px;font-weight:600}",
    ".sources ol{margin:0;padding-left:22px}",
    ".sources li{margin:2px 0}",
    "a{color:#0a56a3;text-decoration:underline}",
    ".user a{color:inherit}",
    ".typing{display:flex;gap:4px;align-items:center;min-height:38px}",
    ".typing i{width:7px;height:7px;border-radius:50%;background:#57606a;animation:hb-dot 1s infinite ease-in-out}",
    ".typing i:nth-child(2){animation-delay:.15s}.typing i:nth-child(3){animation-delay:.3s}",
    "@keyframes hb-dot{0%,80%,100%{opacity:.3;transform:none}40%{opacity:1;transform:translateY(-3px)}}",
    ".quick{display:flex;flex-wrap:wrap;gap:6px;padding:8px 12px 0;background:#fff;border-top:1px solid #e3e7ec;max-height:35%;overflow-y:auto}",
    ".quick button{border:1.5px solid var(--line);color:#1f2328;background:#fff;border-radius:18px;padding:6px 12px;min-height:36px;font-size:14px;text-align:left}",
    ".quick button:hover{background:#eef2f7}",
    ".alert{margin:8px 12px 0;padding:8px 10px;border-radius:8px;background:#fdecea;color:#5c0f0b;font-size:14px;display:flex;gap:8px;align-items:center;flex-wrap:wrap}",
    ".alert:empty{display:none}",
    ".alert button{background:#8c1d18;color:#fff;border-radius:6px;padding:6px 12px;min-height:36px;font-weight:600}",
    "form{display:flex;gap:8px;align-items:flex-end;padding:10px 12px 12px;background:#fff}",
    "textarea{flex:1;resize:none;min-height:44px;max-height:120px;padding:10px 12px;border:1.5px solid #6e7781;border-radius:10px;background:#fff;font-size:16px;line-height:1.4}",
    "textarea:focus-visible{outline:3px solid var(--line);outline-offset:0;border-color:var(--line)}",
    ".send{width:44px;height:44px;border-radius:10px;background:var(--p);color:var(--on-p);display:flex;align-items:center;justify-content:center;flex:none}",
    ".send[aria-disabled=true]{opacity:.6;cursor:progress}",
    ".send svg{width:22px;height:22px;fill:currentColor}",
    "@media (max-width:480px){.panel{top:var(--top,0);bottom:auto;left:0;right:0;width:100%;max-width:none;height:var(--vh,100dvh);min-height:0;border-radius:0}}",
    "@media (prefers-reduced-motion:reduce){*,*::before,*::after{animation:none!important;transition:none!important}.launcher:hover{transform:none}}",
    "@media (forced-colors:active){.launcher,.send,.msg,.panel{border:1px solid CanvasText}}"
  ].join("\n");

  var ICON_CHAT = "M4 4h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H9l-5 4v-4a2 2 0 0 1-2-2V6a2 2 0 0 1 2-2zm3 5v2h10V9H7zm0 4v2h7v-2H7z";
  var ICON_SEND = "M3 20.5 21 12 3 3.5l.01 6.6L15 12l-11.99 1.9z";

  // ---- tiny DOM helpers: text only, never markup ----
  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (k) {
      if (k === "text") node.textContent = attrs[k];
      else if (k === "cls") node.className = attrs[k];
      else node.setAttribute(k, attrs[k]);
    });
    (children || []).forEach(function (c) { if (c) node.appendChild(c); });
    return node;
  }
  function icon(path) {
    var ns = "http://www.w3.org/2000/svg";
    var svg = document.createElementNS(ns, "svg");
    svg.setAttribute("viewBox", "0 0 24 24");
    svg.setAttribute("aria-hidden", "true");
    svg.setAttribute("focusable", "false");
    var p = document.createElementNS(ns, "path");
    p.setAttribute("d", path);
    svg.appendChild(p);
    return svg;
  }
  function safeHttps(url) {
    try {
      var u = new URL(String(url));
      return u.protocol === "https:" ? u.href : null;
    } catch (e) { return null; }
  }
  function extLink(href, label) {
    return el("a", { href: href, target: "_blank", rel: "noopener noreferrer" },
      [document.createTextNode(label), el("span", { cls: "sr", text: " " + T.newTab })]);
  }
  // Text with bare https:// addresses made clickable; everything else stays text.
  function appendText(node, text) {
    var re = /https:\/\/[^\s<>"']+/g, last = 0, m;
    text = String(text == null ? "" : text);
    while ((m = re.exec(text))) {
      var url = m[0].replace(/[.,;:!?)\]]+$/, "");
      var href = safeHttps(url);
      if (!href) continue;
      node.appendChild(document.createTextNode(text.slice(last, m.index)));
      node.appendChild(extLink(href, url));
      last = m.index + url.length;
      re.lastIndex = last;
    }
    node.appendChild(document.createTextNode(text.slice(last)));
    return node;
  }

  // ---- storage: nothing is written until the patient opens the chat ----
  function pickStorage() {
    var kind = ds.storage || "session";
    if (kind === "none") return null;
    try {
      var s = kind === "local" ? window.localStorage : window.sessionStorage;
      var probe = KEY + ":probe";
      s.setItem(probe, "1");
      s.removeItem(probe);
      return s;
    } catch (e) { return null; }
  }
  var storage = null; // resolved lazily, so even the probe waits for the first open
  function readSaved() {
    try {
      var s = (ds.storage === "local" ? window.localStorage : ds.storage === "none" ? null : window.sessionStorage);
      var raw = s && s.getItem(KEY);
      var data = raw && JSON.parse(raw);
      if (data && typeof data.sid === "string" && Array.isArray(data.items)) return data;
    } catch (e) { /* unreadable: start fresh */ }
    return null;
  }
  function newId() {
    var b = new Uint8Array(16);
    (window.crypto || window.msCrypto).getRandomValues(b);
    return Array.prototype.map.call(b, function (x) { return (x + 256).toString(16).slice(1); }).join("");
  }

  var saved = readSaved();
  var state = saved || { sid: newId(), items: [], quick: [] };
  var started = !!saved;
  var isOpen = false, busy = false, rendered = false, pending = null;

  function save() {
    if (!started) return;
    storage = storage || pickStorage();
    if (!storage) return;
    state.items = state.items.slice(-MAX_ITEMS);
    try { storage.setItem(KEY, JSON.stringify(state)); } catch (e) { /* full or blocked: keep going in memory */ }
  }

  // ---- build the UI ----
  var host = document.createElement("healthbot-widget");
  var shadow = host.attachShadow({ mode: "open" });
  try {
    var sheet = new CSSStyleSheet();
    sheet.replaceSync(CSS);
    shadow.adoptedStyleSheets = [sheet]; // not subject to the host page's style-src CSP
  } catch (e) {
    shadow.appendChild(el("style", { text: CSS }));
  }

  var launcher = el("button", { type: "button", cls: "launcher", "aria-label": title, "aria-expanded": "false", "aria-controls": "hb-panel" }, [icon(ICON_CHAT)]);
  var resetBtn = el("button", { type: "button", cls: "reset", text: T.startOver });
  var closeBtn = el("button", { type: "button", cls: "close", "aria-label": T.close, text: "×" });
  var log = el("div", { cls: "log", role: "log", "aria-live": "off", "aria-label": T.log, tabindex: "0" });
  var quick = el("div", { cls: "quick", role: "group", "aria-label": T.suggestions, hidden: "" });
  var alertBox = el("div", { cls: "alert", role: "alert" });
  var input = el("textarea", { id: "hb-input", rows: "1", placeholder: T.placeholder, autocomplete: "off", "aria-describedby": "hb-limit" });
  var sendBtn = el("button", { type: "submit", cls: "send", "aria-label": T.send }, [icon(ICON_SEND)]);
  var form = el("form", {}, [el("label", { cls: "sr", "for": "hb-input", text: T.inputLabel }), input, sendBtn]);
  var limitNote = el("span", { id: "hb-limit", cls: "sr", text: T.limit.replace("{max}", maxChars) });
  var live = el("div", { cls: "sr", "aria-live": "polite", "aria-atomic": "true" });
  var panel = el("div", { id: "hb-panel", cls: "panel", role: "dialog", "aria-modal": "false", "aria-labelledby": "hb-title", hidden: "" }, [
    el("header", {}, [el("h2", { id: "hb-title", text: title }), resetBtn, closeBtn]),
    log, quick, alertBox, form, limitNote
  ]);
  var root = el("div", { cls: "root", lang: lang }, [launcher, panel, live]);
  shadow.appendChild(root);

  // ---- rendering ----
  function scrollDown() { log.scrollTop = log.scrollHeight; }

  function userBubble(text) {
    return el("div", { cls: "msg user" }, [el("span", { cls: "sr", text: T.you + " " }),
      document.createTextNode(String(text))]);
  }

  function botBubbles(reply) {
    var out = [];
    var parts = Array.isArray(reply.messages) ? reply.messages : [];
    var lastAnswer = null;
    var hasMeta = false;
    parts.forEach(function (part) {
      var role = ["answer", "notice", "emergency", "meta"].indexOf(part && part.role) >= 0 ? part.role : "answer";
      var bubble = el("div", { cls: "msg bot " + role, "data-role": role }, [el("span", { cls: "sr", text: T.bot + " " })]);
      if (role === "emergency") bubble.appendChild(el("strong", { text: T.emergency }));
      appendText(bubble, part && part.text);
      if (role === "answer" || role === "emergency") lastAnswer = bubble;
      if (role === "meta") hasMeta = true;
      out.push(bubble);
    });
    var cites = Array.isArray(reply.citations) ? reply.citations : [];
    if (cites.length) {
      var list = el("ol");
      cites.forEach(function (c) {
        var n = parseInt(c && c.n, 10);
        var href = safeHttps(c && c.url);
        var label = String((c && c.title) || (c && c.url) || "");
        var li = el("li", isNaN(n) ? {} : { value: String(n) }, [href ? extLink(href, label) : document.createTextNode(label)]);
        if (c && c.publisher) li.appendChild(document.createTextNode(" — " + c.publisher));
        list.appendChild(li);
      });
      var box = el("div", { cls: "sources" }, [el("p", { text: T.sources }), list]);
      if (lastAnswer) lastAnswer.appendChild(box);
      else out.push(el("div", { cls: "msg bot answer" }, [box]));
    }
    if (reply.reviewed && !hasMeta) {
      out.push(el("div", { cls: "msg bot meta", "data-role": "meta", text: "Reviewed " + reply.reviewed + "." }));
    }
    return out;
  }

  function renderQuick(items) {
    quick.textContent = "";
    (items || []).forEach(function (q) {
      if (!q || !q.title) return;
      var b = el("button", { type: "button", text: String(q.title) });
      b.addEventListener("click", function () {
        input.focus(); // the buttons go away with the reply; keep keyboard users in the composer
        send(String(q.title), q.payload ? String(q.payload) : null);
      });
      quick.appendChild(b);
    });
    quick.hidden = !quick.firstChild;
  }

  function renderAll() {
    log.textContent = "";
    if (!state.items.length) log.appendChild(el("div", { cls: "msg bot answer welcome", text: ds.welcome || T.welcome }));
    state.items.forEach(function (item) {
      if (item && item.t === "user") log.appendChild(userBubble(item.text));
      else if (item && item.t === "bot" && item.r) botBubbles(item.r).forEach(function (b) { log.appendChild(b); });
    });
    renderQuick(state.quick);
    rendered = true;
    scrollDown();
  }

  function announce(text) {
    live.textContent = "";
    setTimeout(function () { live.textContent = text; }, 60);
  }

  function showAlert(message, retry) {
    alertBox.textContent = "";
    alertBox.appendChild(el("span", { text: message }));
    if (retry) {
      var b = el("button", { type: "button", cls: "retry", text: T.retry });
      b.addEventListener("click", retry);
      alertBox.appendChild(b);
    }
  }
  function clearAlert() { alertBox.textContent = ""; }

  var typing = el("div", { cls: "msg bot typing" }, [el("span", { cls: "sr", text: T.typing }),
    el("i", { "aria-hidden": "true" }), el("i", { "aria-hidden": "true" }), el("i", { "aria-hidden": "true" })]);
  function setBusy(on) {
    busy = on;
    sendBtn.setAttribute("aria-disabled", on ? "true" : "false");
    log.setAttribute("aria-busy", on ? "true" : "false");
    if (on) { log.appendChild(typing); scrollDown(); }
    else if (typing.parentNode) typing.parentNode.removeChild(typing);
  }

  // ---- talking to the bot ----
  function start() {
    if (started) return;
    started = true;
    save();
  }

  function send(text, payload) {
    text = String(text == null ? "" : text).trim();
    if (!text) { showAlert(T.empty); return false; }
    if (text.length > maxChars) {
      showAlert(T.tooLong.replace("{n}", text.length).replace("{max}", maxChars));
      return false;
    }
    if (busy) return false;
    start();
    if (!rendered) renderAll();
    clearAlert();
    var bubble = userBubble(text);
    log.appendChild(bubble);
    renderQuick([]);
    request({ text: text, payload: payload || null, bubble: bubble });
    return true;
  }

  function request(msg) {
    pending = msg;
    msg.bubble.classList.remove("failed");
    var note = msg.bubble.querySelector(".state");
    if (note) msg.bubble.removeChild(note);
    setBusy(true);
    var ctrl = window.AbortController ? new AbortController() : null;
    var timer = setTimeout(function () { if (ctrl) ctrl.abort(); }, TIMEOUT_MS);
    var headers = { "Content-Type": "application/json" };
    if (ds.locale) headers["X-Healthbot-Locale"] = ds.locale;
    var body = { session_id: state.sid, text: msg.text };
    if (msg.payload) body.payload = msg.payload;
    fetch(botUrl + "/api/chat", {
      method: "POST", mode: "cors", credentials: "omit", headers: headers,
      body: JSON.stringify(body), signal: ctrl ? ctrl.signal : undefined
    }).then(function (res) {
      return res.json().catch(function () { return null; }).then(function (data) { return { res: res, data: data }; });
    }).then(function (r) {
      clearTimeout(timer);
      setBusy(false);
      if (r.res.ok && r.data && Array.isArray(r.data.messages)) return received(msg, r.data);
      var status = r.res.status;
      var errMsg = r.data && r.data.error && typeof r.data.error.message === "string" ? r.data.error.message : null;
      if (status >= 400 && status < 500 && status !== 429 && status !== 408 && errMsg) return refused(msg, errMsg);
      failed(msg, status === 429 ? T.busy : T.server);
    }).catch(function () {
      clearTimeout(timer);
      setBusy(false);
      failed(msg, T.network);
    });
  }

  function received(msg, data) {
    pending = null;
    if (typeof data.session_id === "string" && data.session_id) state.sid = data.session_id;
    var reply = {
      kind: data.kind, messages: data.messages, citations: data.citations || [],
      reviewed: data.reviewed || null
    };
    state.items.push({ t: "user", text: msg.text }, { t: "bot", r: reply });
    state.quick = (data.quick_replies || []).map(function (q) { return { title: q.title, payload: q.payload }; });
    botBubbles(reply).forEach(function (b) { log.appendChild(b); });
    renderQuick(state.quick);
    save();
    scrollDown();
    announce(data.messages.map(function (p) { return p && p.text; }).join(" "));
  }

  // The server said no to this text (e.g. too long): give it back to edit.
  function refused(msg, message) {
    pending = null;
    if (msg.bubble.parentNode) msg.bubble.parentNode.removeChild(msg.bubble);
    if (!input.value) input.value = msg.text;
    renderQuick(state.quick);
    showAlert(message);
  }

  // Network or server trouble: keep the patient's words on screen and offer a retry.
  function failed(msg, message) {
    msg.bubble.classList.add("failed");
    if (!msg.bubble.querySelector(".state")) msg.bubble.appendChild(el("span", { cls: "state", text: T.notSent }));
    showAlert(message, function () {
      clearAlert();
      if (!busy) request(msg);
    });
  }

  // ---- open, close, reset ----
  function open() {
    if (isOpen) return;
    start();
    if (!rendered) renderAll();
    isOpen = true;
    panel.hidden = false;
    launcher.setAttribute("aria-expanded", "true");
    fitViewport();
    scrollDown();
    input.focus({ preventScroll: true });
  }

  function close(returnFocus) {
    if (!isOpen) return;
    isOpen = false;
    panel.hidden = true;
    launcher.setAttribute("aria-expanded", "false");
    if (returnFocus !== false) launcher.focus();
  }

  function reset() {
    try { (storage || pickStorage() || { removeItem: function () {} }).removeItem(KEY); } catch (e) { /* ignore */ }
    state = { sid: newId(), items: [], quick: [] };
    started = false; // store nothing again until the next message
    pending = null;
    clearAlert();
    input.value = "";
    renderAll();
    if (isOpen) input.focus();
  }

  // On phones the on-screen keyboard shrinks the visual viewport; keep the composer above it.
  function fitViewport() {
    var vv = window.visualViewport;
    if (!vv) return;
    panel.style.setProperty("--vh", vv.height + "px");
    panel.style.setProperty("--top", vv.offsetTop + "px");
  }
  if (window.visualViewport) {
    window.visualViewport.addEventListener("resize", function () { if (isOpen) { fitViewport(); scrollDown(); } });
    window.visualViewport.addEventListener("scroll", function () { if (isOpen) fitViewport(); });
  }

  // ---- events ----
  launcher.addEventListener("click", function () { if (isOpen) close(); else open(); });
  closeBtn.addEventListener("click", function () { close(); });
  resetBtn.addEventListener("click", reset);
  form.addEventListener("submit", function (e) {
    e.preventDefault();
    if (busy) return;
    if (send(input.value)) { input.value = ""; autosize(); }
  });
  input.addEventListener("keydown", function (e) {
    if (e.key === "Enter" && !e.shiftKey && !e.isComposing) {
      e.preventDefault();
      form.requestSubmit ? form.requestSubmit() : form.dispatchEvent(new Event("submit", { cancelable: true }));
    }
  });
  function autosize() {
    input.style.height = "auto";
    input.style.height = Math.min(input.scrollHeight + 3, 120) + "px";
  }
  input.addEventListener("input", autosize);
  shadow.addEventListener("keydown", function (e) {
    if (e.key === "Escape" && isOpen) { e.stopPropagation(); close(); }
  });

  function mount() {
    (document.body || document.documentElement).appendChild(host);
  }
  if (document.body) mount();
  else document.addEventListener("DOMContentLoaded", mount);

  window.HealthBot = {
    version: "1",
    open: open,
    close: function () { close(); },
    send: function (text) { open(); return send(text); },
    reset: reset
  };
})();
