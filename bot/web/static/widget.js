/*
 * Landsby chat widget. Embed with one tag:
 *
 *   <script src="https://host/static/widget.js" defer data-title="..." data-lang="nb|nn"
 *     data-accent="#0b5c7a" data-contact-name="..." data-contact-phone="..."
 *     data-contact-url="https://..." data-api="https://host"></script>
 *
 * Everything lives in a shadow root, so the host page's CSS cannot reach in and ours
 * cannot leak out. Text from the server is only ever set as text (append/textContent),
 * and links are kept only for https:, tel: and mailto:, because answers, sources and
 * buttons pass through a model and must never be able to run script on a council's page.
 * No framework, no build step, no eval, no inline handlers: it runs under a strict CSP.
 */
(function () {
  "use strict";

  const script = document.currentScript;
  // A second copy of the tag (a CMS including it twice) must not add a second widget.
  if (!script || document.querySelector("landsby-chat")) return;

  const STORE_KEY = "landsby-chat";
  const MAX_ENTRIES = 200; // keeps sessionStorage well under its quota
  const REQUEST_TIMEOUT_MS = 30000; // the server gives the engine 15 s
  const DEFAULT_ACCENT = "#0b5c7a";
  const BOT_BUBBLE = "#f3f1ec"; // keep in sync with widget.css; accents are checked against it
  const KINDS = ["answer", "crisis", "handoff", "fallback", "smalltalk", "clarify"];
  const SAFE_SCHEMES = ["https:", "tel:", "mailto:"];

  // Every non-ASCII character is written as a \u escape. A script served without a charset
  // is decoded in the host page's encoding, and not every council site is UTF-8; an escaped
  // "\u00f8" is an o-slash everywhere. (tests/browser checks that this file stays ASCII.)
  const TEXT = {
    nb: {
      launcher: "Sp\u00f8r Landsby",
      subtitle: "Automatisk assistent \u00b7 generell informasjon",
      close: "Lukk samtalen",
      langGroup: "M\u00e5lform",
      log: "Samtale med Landsby",
      inputLabel: "Skriv sp\u00f8rsm\u00e5let ditt",
      placeholder: "Skriv sp\u00f8rsm\u00e5let ditt her",
      send: "Send",
      human: "Snakk med et menneske",
      delete: "Slett samtalen",
      confirmDelete: "Vil du slette hele samtalen? Det kan ikke angres.",
      confirmYes: "Ja, slett",
      confirmNo: "Avbryt",
      storage: "Samtalen lagres bare i denne fanen og slettes n\u00e5r du lukker den.",
      typing: "Landsby skriver \u2026",
      you: "Du:",
      bot: "Landsby:",
      notSent: "Ikke sendt",
      offlineBanner: "Du er uten nett akkurat n\u00e5. Du kan skrive, men meldingen sendes ikke f\u00f8r du er p\u00e5 nett igjen.",
      offline: "Du ser ut til \u00e5 v\u00e6re uten nett, s\u00e5 meldingen ble ikke sendt. Pr\u00f8v igjen n\u00e5r du er p\u00e5 nett.",
      network: "Vi fikk ikke kontakt med Landsby. Sjekk nettet og pr\u00f8v igjen om litt.",
      generic: "Noe gikk galt hos oss. Pr\u00f8v igjen om litt.",
      wait: "Du kan sende en ny melding om {n} sekunder.",
      deleteFailed: "Vi fikk ikke slettet samtalen akkurat n\u00e5. Pr\u00f8v igjen om litt.",
      deleted: "Samtalen er slettet.",
      welcome:
        "Hei, jeg er Landsby \u2013 en automatisk assistent som gir generell informasjon til foreldre som har barn i fosterhjem, men som ikke kan se eller svare p\u00e5 din egen sak. Jeg er ikke en n\u00f8dtjeneste: er noen i fare, ring 112 (politi) eller 113 (medisinsk n\u00f8dhjelp). Hva lurer du p\u00e5?",
      sources: "Kilder",
      newTab: " (\u00e5pnes i ny fane)",
      readMore: "Les mer",
      steps: "Dette kan du gj\u00f8re n\u00e5",
      crisis: "F\u00e5 hjelp n\u00e5",
      call: "Ring ",
      feedback: "Var svaret nyttig?",
      up: "Ja, svaret var nyttig",
      down: "Nei, svaret var ikke nyttig",
      thanks: "Takk for tilbakemeldingen!",
      feedbackFailed: "Vi fikk ikke lagret tilbakemeldingen. Pr\u00f8v igjen senere.",
      contact: "Kontakt oss",
      website: "G\u00e5 til nettsiden",
    },
    nn: {
      launcher: "Sp\u00f8r Landsby",
      subtitle: "Automatisk assistent \u00b7 generell informasjon",
      close: "Lukk samtalen",
      langGroup: "M\u00e5lform",
      log: "Samtale med Landsby",
      inputLabel: "Skriv sp\u00f8rsm\u00e5let ditt",
      placeholder: "Skriv sp\u00f8rsm\u00e5let ditt her",
      send: "Send",
      human: "Snakk med eit menneske",
      delete: "Slett samtalen",
      confirmDelete: "Vil du slette heile samtalen? Det kan ikkje angrast.",
      confirmYes: "Ja, slett",
      confirmNo: "Avbryt",
      storage: "Samtalen blir berre lagra i denne fana og blir sletta n\u00e5r du lukkar ho.",
      typing: "Landsby skriv \u2026",
      you: "Du:",
      bot: "Landsby:",
      notSent: "Ikkje send",
      offlineBanner: "Du er utan nett akkurat no. Du kan skrive, men meldinga blir ikkje send f\u00f8r du er p\u00e5 nett igjen.",
      offline: "Du ser ut til \u00e5 vere utan nett, s\u00e5 meldinga vart ikkje send. Pr\u00f8v igjen n\u00e5r du er p\u00e5 nett.",
      network: "Vi fekk ikkje kontakt med Landsby. Sjekk nettet og pr\u00f8v igjen om litt.",
      generic: "Noko gjekk gale hos oss. Pr\u00f8v igjen om litt.",
      wait: "Du kan sende ei ny melding om {n} sekund.",
      deleteFailed: "Vi fekk ikkje sletta samtalen akkurat no. Pr\u00f8v igjen om litt.",
      deleted: "Samtalen er sletta.",
      welcome:
        "Hei, eg er Landsby \u2013 ein automatisk assistent som gir generell informasjon til foreldre som har barn i fosterheim, men som ikkje kan sj\u00e5 eller svare p\u00e5 saka di. Eg er ikkje ei naudteneste: er nokon i fare, ring 112 (politi) eller 113 (medisinsk naudhjelp). Kva lurer du p\u00e5?",
      sources: "Kjelder",
      newTab: " (blir opna i ny fane)",
      readMore: "Les meir",
      steps: "Dette kan du gjere no",
      crisis: "F\u00e5 hjelp no",
      call: "Ring ",
      feedback: "Var svaret nyttig?",
      up: "Ja, svaret var nyttig",
      down: "Nei, svaret var ikkje nyttig",
      thanks: "Takk for tilbakemeldinga!",
      feedbackFailed: "Vi fekk ikkje lagra tilbakemeldinga. Pr\u00f8v igjen seinare.",
      contact: "Kontakt oss",
      website: "G\u00e5 til nettsida",
    },
  };

  // Icon paths (24x24); drawn as SVG elements, never parsed from strings.
  const ICONS = {
    chat: "M4 4h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H9l-5 4v-4a2 2 0 0 1-2-2V6a2 2 0 0 1 2-2z",
    close: "M6 6l12 12M18 6L6 18",
    up: "M7 11v9H4v-9zm0 0l4-7c1.5 0 2.5 1 2 3l-1 3h6a2 2 0 0 1 2 2.3l-1.2 6A2 2 0 0 1 16.8 20H7",
    down: "M7 13V4H4v9zm0 0l4 7c1.5 0 2.5-1 2-3l-1-3h6a2 2 0 0 0 2-2.3l-1.2-6A2 2 0 0 0 16.8 4H7",
    phone:
      "M5 3h4l2 5-2.5 1.5a11 11 0 0 0 6 6L16 13l5 2v4a2 2 0 0 1-2 2A17 17 0 0 1 3 5a2 2 0 0 1 2-2z",
  };

  // ------------------------------------------------------------------ configuration

  /** An absolute URL with an allowed scheme, or null: the one gate for every href. */
  function safeUrl(value) {
    if (typeof value !== "string" || !value.trim()) return null;
    let url;
    try {
      url = new URL(value.trim());
    } catch (_) {
      return null;
    }
    return SAFE_SCHEMES.includes(url.protocol) ? url.href : null;
  }

  function luminance(hex) {
    const channels = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16) / 255);
    const [r, g, b] = channels.map((c) => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4));
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  }

  function contrast(a, b) {
    const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
    return (hi + 0.05) / (lo + 0.05);
  }

  /** The host's accent, unless it would make white text or links unreadable (WCAG AA). */
  function accentColour(value) {
    const hex = /^#[0-9a-f]{6}$/i.test(value || "") ? value : DEFAULT_ACCENT;
    const readable = contrast(hex, "#ffffff") >= 4.5 && contrast(hex, BOT_BUBBLE) >= 4.5;
    return readable ? hex : DEFAULT_ACCENT;
  }

  /** Where the API lives: data-api if it is https (or this script's own origin), else our origin. */
  function apiBase(value, scriptOrigin) {
    try {
      const url = new URL(value);
      if (url.protocol === "https:" || url.origin === scriptOrigin) {
        return url.origin + url.pathname.replace(/\/+$/, "");
      }
    } catch (_) {
      /* missing or not a URL: fall through to the script's origin */
    }
    return scriptOrigin;
  }

  function phoneHref(phone) {
    const digits = (phone || "").replace(/[^\d+]/g, "");
    return /^\+?\d{3,15}$/.test(digits) ? "tel:" + digits : null;
  }

  function readConfig() {
    const data = script.dataset;
    const src = new URL(script.src, location.href);
    return {
      title: (data.title || "").trim() || "Landsby",
      lang: data.lang === "nn" ? "nn" : "nb",
      accent: accentColour(data.accent),
      contactName: (data.contactName || "").trim(),
      contactPhone: (data.contactPhone || "").trim(),
      contactTel: phoneHref(data.contactPhone),
      contactUrl: safeUrl(data.contactUrl),
      api: apiBase(data.api, src.origin),
      css: new URL("widget.css" + src.search, src).href,
    };
  }

  const config = readConfig();

  // ------------------------------------------------------------------ state and storage

  const state = {
    sessionId: null,
    lang: config.lang,
    langChosen: false, // only an explicit choice overrides the server's own detection
    transcript: [], // {who: "user", text} | {who: "bot", msg, welcome?, feedback?}
    busy: false,
    blockedUntil: 0,
    welcomed: false,
  };

  // sessionStorage, not localStorage: the conversation survives a reload but is gone when
  // the tab closes, which is what the footer promises. It may be unavailable (privacy
  // modes), so every access is allowed to fail.
  function save() {
    try {
      const { sessionId, lang, langChosen } = state;
      const transcript = state.transcript.slice(-MAX_ENTRIES);
      const saved = { sessionId, lang, langChosen, transcript };
      sessionStorage.setItem(STORE_KEY, JSON.stringify(saved));
    } catch (_) {
      /* storage full or blocked: the conversation still works, it just won't survive a reload */
    }
  }

  function restore() {
    let saved;
    try {
      saved = JSON.parse(sessionStorage.getItem(STORE_KEY) || "null");
    } catch (_) {
      return;
    }
    if (!saved || typeof saved !== "object" || !Array.isArray(saved.transcript)) return;
    state.sessionId = typeof saved.sessionId === "string" ? saved.sessionId : null;
    if (saved.langChosen === true && (saved.lang === "nb" || saved.lang === "nn")) {
      state.lang = saved.lang;
      state.langChosen = true;
    }
    state.transcript = saved.transcript.filter(
      (e) => e && ((e.who === "user" && typeof e.text === "string") || (e.who === "bot" && e.msg))
    );
    state.welcomed = state.transcript.length > 0;
  }

  function forget() {
    try {
      sessionStorage.removeItem(STORE_KEY);
    } catch (_) {
      /* nothing stored */
    }
  }

  function t(key, values) {
    const text = TEXT[state.lang][key];
    return values ? text.replace(/\{(\w+)\}/g, (_, name) => String(values[name])) : text;
  }

  // ------------------------------------------------------------------ DOM helpers

  /** An element with fixed attributes; children are nodes or strings (inserted as text). */
  function h(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attrs || {})) {
      if (value === null || value === undefined || value === false) continue;
      if (name === "class") node.className = value;
      else node.setAttribute(name, value === true ? "" : String(value));
    }
    for (const child of children) if (child !== null && child !== undefined) node.append(child);
    return node;
  }

  function icon(name) {
    const ns = "http://www.w3.org/2000/svg";
    const svg = document.createElementNS(ns, "svg");
    svg.setAttribute("viewBox", "0 0 24 24");
    svg.setAttribute("aria-hidden", "true");
    svg.setAttribute("focusable", "false");
    svg.setAttribute("class", "icon");
    const path = document.createElementNS(ns, "path");
    path.setAttribute("d", ICONS[name]);
    svg.append(path);
    return svg;
  }

  function hidden(text) {
    return h("span", { class: "visually-hidden" }, text);
  }

  /** A link to a checked URL; web pages open in a new tab so the conversation stays put. */
  function link(url, title, labels) {
    if (!url.startsWith("https:")) return h("a", { href: url }, title);
    return h("a", { href: url, target: "_blank", rel: "noopener noreferrer" },
      title, hidden(labels.newTab));
  }

  function callLink(url, title, labels, big) {
    return h("a", { href: url, class: big ? "call big" : "call" },
      icon("phone"), hidden(labels.call), title);
  }

  function paragraphs(text) {
    return text
      .split(/\n\s*\n/)
      .map((part) => part.trim())
      .filter(Boolean)
      .map((part) => h("p", null, part));
  }

  // ------------------------------------------------------------------ messages

  function str(value) {
    return typeof value === "string" ? value : "";
  }

  function safeLinks(list) {
    return (Array.isArray(list) ? list : [])
      .map((item) => ({ title: str(item && item.title), url: safeUrl(item && item.url) }))
      .filter((item) => item.url)
      .map((item) => ({ title: item.title || item.url, url: item.url }));
  }

  /** Server data (or restored storage) reduced to known fields of known types. */
  function normalise(raw) {
    const m = raw && typeof raw === "object" ? raw : {};
    const details = m.details && typeof m.details === "object" ? m.details : null;
    return {
      text: str(m.text),
      kind: KINDS.includes(m.kind) ? m.kind : "answer",
      topic: str(m.topic) || null,
      lang: ["nb", "nn", "en"].includes(m.lang) ? m.lang : state.lang,
      sources: safeLinks(m.sources),
      links: safeLinks(m.links),
      buttons: (Array.isArray(m.buttons) ? m.buttons : [])
        .map((b) => ({ title: str(b && b.title), payload: str(b && b.payload) }))
        .filter((b) => b.title && b.payload),
      details: details && {
        title: str(details.title),
        body: str(details.body),
        steps: (Array.isArray(details.steps) ? details.steps : []).map(str).filter(Boolean),
      },
      version: str(m.version) || null,
    };
  }

  function renderUser(entry) {
    const labels = TEXT[state.lang];
    return h("div", { class: "msg user" }, h("p", null, hidden(labels.you + " "), entry.text));
  }

  function renderBot(entry) {
    const msg = normalise(entry.msg);
    // Labels follow the message's own written standard, so a nynorsk answer says "Les meir".
    const labels = TEXT[msg.lang === "nn" ? "nn" : "nb"];
    const item = h("div", { class: "msg bot kind-" + msg.kind, lang: msg.lang });
    item.append(hidden(labels.bot + " "));
    const crisis = msg.kind === "crisis";
    // In a crisis the numbers come first: one tap should be enough, before any reading.
    if (crisis) item.append(h("p", { class: "crisis-label" }, labels.crisis));
    if (crisis && msg.links.length) item.append(renderLinks(msg.links, labels, true));
    item.append(...paragraphs(msg.text));
    if (!crisis && msg.links.length) item.append(renderLinks(msg.links, labels, false));
    const contact = msg.kind === "handoff" ? renderContact(labels) : null;
    if (contact) item.append(contact);
    if (msg.details && (msg.details.body || msg.details.steps.length)) {
      item.append(renderDetails(msg.details, labels));
    }
    if (msg.sources.length) item.append(renderSources(msg.sources, labels));
    if (msg.buttons.length) item.append(renderReplies(msg.buttons));
    if (msg.kind === "answer" && msg.topic) item.append(renderFeedback(entry, msg, labels));
    return item;
  }

  function renderLinks(links, labels, big) {
    const items = links.map((l) => h("li", null, l.url.startsWith("tel:")
      ? callLink(l.url, l.title, labels, big)
      : link(l.url, l.title, labels)));
    return h("ul", { class: big ? "links calls" : "links" }, ...items);
  }

  function renderSources(sources, labels) {
    const items = sources.map((s) => h("li", null, link(s.url, s.title, labels)));
    return h("div", { class: "sources" },
      h("p", { class: "small-title" }, labels.sources), h("ul", null, ...items));
  }

  /** Quick replies: the button's payload is sent, its title is shown as what the user said. */
  function renderReplies(buttons) {
    return h("div", { class: "replies" }, ...buttons.map((b) => {
      const button = h("button", { type: "button", class: "reply" }, b.title);
      button.addEventListener("click", () => send(b.payload, b.title));
      return button;
    }));
  }

  function renderContact(labels) {
    if (!config.contactTel && !config.contactUrl) return null;
    return h(
      "div",
      { class: "contact" },
      h("p", { class: "small-title" }, config.contactName || labels.contact),
      config.contactTel ? callLink(config.contactTel, config.contactPhone, labels, false) : null,
      config.contactUrl ? link(config.contactUrl, labels.website, labels) : null
    );
  }

  function renderDetails(details, labels) {
    return h(
      "details",
      { class: "more" },
      h("summary", null, labels.readMore),
      h(
        "div",
        { class: "more-body" },
        details.title ? h("h3", null, details.title) : null,
        ...paragraphs(details.body),
        details.steps.length ? h("p", { class: "small-title" }, labels.steps) : null,
        details.steps.length ? h("ol", null, ...details.steps.map((s) => h("li", null, s))) : null
      )
    );
  }

  function renderFeedback(entry, msg, labels) {
    const status = h("span", { class: "feedback-status" }, entry.feedback ? labels.thanks : "");
    const buttons = ["up", "down"].map((value) => {
      const pressed = String(entry.feedback === value);
      const button = h("button",
        { type: "button", class: "thumb", "aria-label": labels[value], "aria-pressed": pressed },
        icon(value));
      button.addEventListener("click", async () => {
        if (entry.feedback === value || !state.sessionId) return;
        const res = await request("POST", "/api/feedback", {
          session_id: state.sessionId,
          topic: msg.topic,
          version: msg.version,
          value,
        });
        if (!res.ok) {
          status.textContent = labels.feedbackFailed;
          return;
        }
        entry.feedback = value;
        buttons.forEach((b, i) => b.setAttribute("aria-pressed", String(["up", "down"][i] === value)));
        status.textContent = labels.thanks;
        save();
      });
      return button;
    });
    return h("div", { class: "feedback", role: "group", "aria-label": labels.feedback },
      h("span", { class: "feedback-question", "aria-hidden": "true" }, labels.feedback), ...buttons, status);
  }

  // ------------------------------------------------------------------ the shadow DOM

  const labelBindings = []; // [node, key, attribute], re-labelled on a language switch
  const hostElement = document.createElement("landsby-chat");
  const root = hostElement.attachShadow({ mode: "open" });
  const ui = buildUi();

  function applyLabels() {
    for (const [node, key, attribute] of labelBindings) {
      if (attribute) node.setAttribute(attribute, t(key));
      else node.textContent = t(key);
    }
    ui.wrapper.setAttribute("lang", state.lang);
    ui.langButtons.forEach((b) => b.setAttribute("aria-pressed", String(b.value === state.lang)));
  }

  /** An element whose text (or `attribute`) is the UI string `key`, kept in the chosen language. */
  function labelled(tag, attrs, key, attribute) {
    const node = h(tag, attrs);
    labelBindings.push([node, key, attribute]);
    return node;
  }

  function buildUi() {
    const launcher = h("button", { type: "button", class: "launcher", "aria-haspopup": "dialog" },
      icon("chat"), labelled("span", null, "launcher"));

    const close = labelled("button", { type: "button", class: "close" }, "close", "aria-label");
    close.append(icon("close"));
    const langButtons = [["nb", "Bokm\u00e5l"], ["nn", "Nynorsk"]].map(([value, name]) =>
      h("button", { type: "button", class: "lang", value, lang: value }, name));
    const langs = labelled("div", { class: "langs", role: "group" }, "langGroup", "aria-label");
    langs.append(...langButtons);
    const header = h("div", { class: "header" },
      h("h2", { id: "landsby-title" }, config.title), close,
      labelled("p", { class: "subtitle" }, "subtitle"), langs);

    // tabindex 0: keyboard users must be able to scroll a long answer without a mouse.
    const log = labelled("div", { class: "log", role: "log", "aria-live": "polite", tabindex: "0" },
      "log", "aria-label");
    const offline = labelled("p", { class: "offline", role: "status" }, "offlineBanner");
    offline.hidden = navigator.onLine !== false;

    const input = labelled("textarea", { id: "landsby-input", rows: "2" },
      "placeholder", "placeholder");
    const form = h("form", { class: "composer" },
      labelled("label", { for: "landsby-input", class: "visually-hidden" }, "inputLabel"),
      input, labelled("button", { type: "submit", class: "send" }, "send"));

    const human = labelled("button", { type: "button", class: "secondary" }, "human");
    const remove = labelled("button", { type: "button", class: "text-button" }, "delete");
    const confirmYes = labelled("button", { type: "button", class: "danger" }, "confirmYes");
    const confirmNo = labelled("button", { type: "button", class: "text-button" }, "confirmNo");
    const confirm = h("div", { class: "confirm", hidden: true },
      labelled("p", null, "confirmDelete"), h("div", { class: "row" }, confirmYes, confirmNo));

    const dialog = { role: "dialog", "aria-modal": "true", "aria-labelledby": "landsby-title" };
    const panel = h("div", Object.assign({ class: "panel", hidden: true }, dialog),
      header, log, offline, form, h("div", { class: "actions" }, human, remove), confirm,
      labelled("p", { class: "footer" }, "storage"));

    const wrapper = h("div", { class: "landsby", hidden: true }, launcher, panel);
    const css = h("link", { rel: "stylesheet", href: config.css });
    // Show nothing until our stylesheet is in, so the host never sees an unstyled flash.
    css.addEventListener("load", () => (wrapper.hidden = false));
    css.addEventListener("error", () => (wrapper.hidden = false));
    root.append(css, wrapper);
    return { wrapper, launcher, close, langButtons, log, offline, input, form, human, remove,
      confirm, confirmYes, confirmNo, panel };
  }

  function applyAccent() {
    // A constructed sheet, not a style="" attribute, so a strict CSP on the host allows it.
    if (!("adoptedStyleSheets" in root) || typeof CSSStyleSheet.prototype.replaceSync !== "function") return;
    const sheet = new CSSStyleSheet();
    sheet.replaceSync(":host { --landsby-accent: " + config.accent + "; }");
    root.adoptedStyleSheets = [sheet];
  }

  // ------------------------------------------------------------------ log and scrolling

  function reducedMotion() {
    return window.matchMedia && window.matchMedia("(prefers-reduced-motion: reduce)").matches;
  }

  /** Scroll so `node` starts at the top: long answers are read from their beginning. */
  function reveal(node) {
    // On short screens (200 % zoom) the whole panel scrolls instead of the log.
    const box = ui.log.scrollHeight > ui.log.clientHeight + 1 ? ui.log : ui.panel;
    const top = node.getBoundingClientRect().top - box.getBoundingClientRect().top + box.scrollTop - 8;
    box.scrollTo({ top, behavior: reducedMotion() ? "auto" : "smooth" });
  }

  function addEntry(entry, persist) {
    const node = entry.who === "user" ? renderUser(entry) : renderBot(entry);
    ui.log.append(node);
    if (persist) state.transcript.push(entry);
    return node;
  }

  function notice(text) {
    const node = h("div", { class: "msg notice", lang: state.lang }, h("p", null, text));
    ui.log.append(node);
    reveal(node);
  }

  let typingNode = null;
  function typing(on) {
    if (on && !typingNode) {
      typingNode = h("div", { class: "msg bot typing" },
        h("span", { class: "dots", "aria-hidden": "true" }, h("span"), h("span"), h("span")), t("typing"));
      ui.log.append(typingNode);
      reveal(typingNode);
    } else if (!on && typingNode) {
      typingNode.remove();
      typingNode = null;
    }
  }

  // ------------------------------------------------------------------ talking to the server

  /** Retry-After is seconds or an HTTP date; without one, half a minute is a fair guess. */
  function retryAfterSeconds(header) {
    const value = (header || "").trim();
    let wait = /^\d+$/.test(value) ? Number(value) : (Date.parse(value) - Date.now()) / 1000;
    if (!Number.isFinite(wait)) wait = 30;
    return Math.min(Math.max(Math.ceil(wait), 1), 600);
  }

  /** One API call; never throws. status 0 means the network (or a timeout) failed. */
  async function request(method, path, body) {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), REQUEST_TIMEOUT_MS);
    try {
      const response = await fetch(config.api + path, {
        method,
        headers: body ? { "Content-Type": "application/json" } : {},
        body: body ? JSON.stringify(body) : undefined,
        credentials: "omit", // the session id is the only identity; no cookies cross sites
        signal: controller.signal,
      });
      let data = null;
      try {
        data = response.status === 204 ? null : await response.json();
      } catch (_) {
        data = null;
      }
      const retryAfter = response.headers.get("Retry-After");
      return { ok: response.ok, status: response.status, data, retryAfter };
    } catch (_) {
      return { ok: false, status: 0, data: null, retryAfter: null };
    } finally {
      clearTimeout(timer);
    }
  }

  function errorText(res) {
    if (res.status === 0) return navigator.onLine === false ? t("offline") : t("network");
    const serverText = res.data && typeof res.data.error === "string" ? res.data.error.trim() : "";
    return serverText || t("generic");
  }

  /** Why a message cannot be sent right now, or "" when it can. */
  function sendBlocker() {
    const wait = Math.ceil((state.blockedUntil - Date.now()) / 1000);
    if (wait > 0) return t("wait", { n: wait });
    if (navigator.onLine === false) return t("offline");
    return "";
  }

  /** Send `message` (typed text or a button payload), showing `shown` as what the user said. */
  async function send(message, shown) {
    if (state.busy) return false;
    const blocker = sendBlocker();
    if (blocker) {
      notice(blocker);
      return false;
    }
    state.busy = true;
    const bubble = addEntry({ who: "user", text: shown }, false);
    reveal(bubble);
    typing(true);
    const body = { message };
    if (state.sessionId) body.session_id = state.sessionId;
    if (state.langChosen) body.lang = state.lang;
    const res = await request("POST", "/api/chat", body);
    typing(false);
    state.busy = false;
    const messages = res.ok && res.data && Array.isArray(res.data.messages) ? res.data.messages : null;
    if (messages && typeof res.data.session_id === "string") {
      state.sessionId = res.data.session_id;
      state.transcript.push({ who: "user", text: shown });
      const nodes = messages.map((m) => addEntry({ who: "bot", msg: normalise(m) }, true));
      if (nodes.length) reveal(nodes[0]);
      save();
      return true;
    }
    // Nothing is lost silently: the bubble says it was not sent, and the text goes back.
    bubble.classList.add("failed");
    bubble.append(h("p", { class: "failed-label" }, t("notSent")));
    if (res.status === 429) state.blockedUntil = Date.now() + retryAfterSeconds(res.retryAfter) * 1000;
    notice(errorText(res));
    return false;
  }

  async function welcome() {
    state.welcomed = true;
    state.busy = true;
    typing(true);
    const res = await request("GET", "/api/welcome?lang=" + state.lang);
    typing(false);
    state.busy = false;
    const fromServer = res.ok && res.data && Array.isArray(res.data.messages) ? res.data.messages : [];
    // The greeting says that Landsby is automated and not an emergency service, so it is
    // shown even when the server cannot be reached.
    const offline = [{ text: t("welcome"), kind: "smalltalk", lang: state.lang }];
    const messages = fromServer.length ? fromServer : offline;
    for (const m of messages) addEntry({ who: "bot", msg: normalise(m), welcome: true }, true);
    save();
  }

  function resetConversation() {
    state.sessionId = null;
    state.transcript = [];
    ui.log.replaceChildren();
    forget();
  }

  async function deleteConversation() {
    if (state.busy) return;
    let messages = [{ text: t("deleted"), kind: "smalltalk", lang: state.lang }];
    if (state.sessionId) {
      const res = await request("POST", "/api/session/delete", { session_id: state.sessionId });
      if (!res.ok) {
        notice(res.status === 0 ? errorText(res) : t("deleteFailed"));
        return;
      }
      const confirmation = res.data && Array.isArray(res.data.messages) ? res.data.messages : [];
      if (confirmation.length) messages = confirmation;
    }
    resetConversation();
    // The confirmation is shown but not stored: after deletion nothing should remain.
    for (const m of messages) addEntry({ who: "bot", msg: normalise(m) }, false);
  }

  // ------------------------------------------------------------------ open, close, keyboard

  function openPanel() {
    ui.panel.hidden = false;
    ui.launcher.hidden = true;
    if (!state.welcomed) welcome();
    ui.input.focus();
    const last = ui.log.lastElementChild;
    if (last) reveal(last);
  }

  function closePanel() {
    ui.panel.hidden = true;
    ui.launcher.hidden = false;
    ui.confirm.hidden = true;
    ui.launcher.focus();
  }

  function focusables() {
    const selector = "a[href], button, textarea, summary, [tabindex]:not([tabindex='-1'])";
    const visible = (node) => node.getClientRects().length > 0;
    return Array.from(ui.panel.querySelectorAll(selector)).filter(visible);
  }

  /** Keep Tab inside the open dialog (it is modal, and covers the page on a phone). */
  function trapTab(event) {
    const items = focusables();
    if (!items.length) return;
    const first = items[0];
    const last = items[items.length - 1];
    const active = root.activeElement;
    if (event.shiftKey && (active === first || !items.includes(active))) {
      event.preventDefault();
      last.focus();
    } else if (!event.shiftKey && (active === last || !items.includes(active))) {
      event.preventDefault();
      first.focus();
    }
  }

  function switchLanguage(lang) {
    if (lang === state.lang && state.langChosen) return;
    state.lang = lang;
    state.langChosen = true;
    applyLabels();
    // A greeting nobody has answered yet is simply replaced by one in the chosen standard.
    if (!state.busy && state.transcript.length && state.transcript.every((e) => e.welcome)) {
      resetConversation();
      welcome();
    } else {
      save();
    }
  }

  function wire() {
    ui.launcher.addEventListener("click", openPanel);
    ui.close.addEventListener("click", closePanel);
    ui.panel.addEventListener("keydown", (event) => {
      if (event.key === "Escape" && !event.isComposing) {
        event.preventDefault();
        closePanel();
      } else if (event.key === "Tab") {
        trapTab(event);
      }
    });
    ui.form.addEventListener("submit", async (event) => {
      event.preventDefault();
      const text = ui.input.value.trim();
      if (!text || state.busy) return;
      const blocker = sendBlocker();
      if (blocker) {
        notice(blocker);
        return;
      }
      ui.input.value = "";
      const sent = await send(text, text);
      if (!sent && !ui.input.value) ui.input.value = text;
    });
    ui.input.addEventListener("keydown", (event) => {
      // Enter sends, Shift+Enter is a new line; never while an IME is composing a word.
      if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
        event.preventDefault();
        ui.form.requestSubmit();
      }
    });
    ui.langButtons.forEach((b) => b.addEventListener("click", () => switchLanguage(b.value)));
    ui.human.addEventListener("click", () => send("/menneske", t("human")));
    ui.remove.addEventListener("click", () => {
      ui.confirm.hidden = false;
      ui.confirmYes.focus();
    });
    ui.confirmNo.addEventListener("click", () => {
      ui.confirm.hidden = true;
      ui.remove.focus();
    });
    ui.confirmYes.addEventListener("click", async () => {
      ui.confirm.hidden = true;
      ui.input.focus();
      await deleteConversation();
    });
    window.addEventListener("offline", () => (ui.offline.hidden = false));
    window.addEventListener("online", () => (ui.offline.hidden = true));
  }

  // ------------------------------------------------------------------ start

  restore();
  applyAccent();
  applyLabels();
  for (const entry of state.transcript) addEntry(entry, false);
  wire();
  if (document.body) document.body.append(hostElement);
  else document.addEventListener("DOMContentLoaded", () => document.body.append(hostElement));
})();
