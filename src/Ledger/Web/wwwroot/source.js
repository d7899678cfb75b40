// Coding a source: its stored text with the passages already cited marked; selecting a passage opens a form
// prefilled from it (kind, track, actor, party, counts, date), which appends the development through the API with
// the writer's key and marks the new quote when the live stream delivers it. No framework, no build step.
"use strict";

const KEY_STORAGE = "ledger-api-key";
const [negotiationId, sourceId] = location.pathname.split("/").slice(2, 4).map(decodeURIComponent);
const state = { negotiation: null, source: null, text: "", kinds: [], citations: [], fresh: new Set(), selection: null, awaited: new Set() };
const $ = (id) => document.getElementById(id);

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith("on")) node.addEventListener(name.slice(2), value);
    else node.setAttribute(name, value === true ? "" : value);
  }
  node.append(...children.flat().filter((c) => c !== null && c !== undefined));
  return node;
}

async function api(path) {
  const response = await fetch(path, { headers: { Accept: "application/json" } });
  const body = await response.json().catch(() => ({}));
  if (!response.ok) throw new Error(body.detail || `${path} answered ${response.status}`);
  return body;
}

// ---- The text, with every cited passage marked ----------------------------------------------------------------

function renderText() {
  const text = state.text;
  const cuts = [...new Set([0, text.length, ...state.citations.flatMap((c) => [c.start, c.end])])]
    .filter((p) => p >= 0 && p <= text.length)
    .sort((a, b) => a - b);
  const box = $("text");
  box.replaceChildren();
  for (let i = 0; i < cuts.length - 1; i++) {
    const [from, to] = [cuts[i], cuts[i + 1]];
    const piece = text.slice(from, to);
    const covering = state.citations.filter((c) => c.start <= from && c.end >= to);
    if (covering.length === 0) {
      box.append(document.createTextNode(piece));
      continue;
    }
    const fresh = covering.some((c) => state.fresh.has(c.claimId));
    box.append(el("mark", {
      class: fresh ? "coded new" : "coded",
      "data-claims": covering.map((c) => c.claimId).join(" "),
      title: covering.map((c) => `${c.kind}: ${c.developmentKey} (track ${c.trackId})`).join("\n"),
    }, piece));
  }
  // Offsets are counted in the DOM's text nodes; they are the stored text's only while the two are identical.
  if (box.textContent !== text) showLoadError("The text could not be shown exactly as stored; selections would not match it.");
}

/** The number of characters of the stored text before a DOM position inside the text box. */
function offsetOf(box, node, offset) {
  const range = document.createRange();
  range.setStart(box, 0);
  range.setEnd(node, offset);
  return range.toString().length;
}

function onSelection() {
  const selection = document.getSelection();
  if (!selection || selection.rangeCount === 0 || selection.isCollapsed) return;
  const range = selection.getRangeAt(0);
  const box = $("text");
  if (!box.contains(range.startContainer) || !box.contains(range.endContainer)) return;
  let start = offsetOf(box, range.startContainer, range.startOffset);
  let end = offsetOf(box, range.endContainer, range.endOffset);
  while (start < end && /\s/.test(state.text[start])) start++;
  while (end > start && /\s/.test(state.text[end - 1])) end--;
  if (end <= start) return;
  const quote = state.text.slice(start, end);
  // The quote is cut from the stored text by offset; what the browser selected must be exactly those characters.
  if (range.toString().trim() !== quote) {
    showLoadError("The selection does not match the stored text at the offsets it was counted to; select again.");
    return;
  }
  openForm(start, end);
}

// ---- Reading a passage: deterministic guesses the analyst checks ----------------------------------------------

/** The sentence (or line) around a range, as the server's QuoteLocator.SentenceAround cuts it. */
function sentenceAround(text, start, end) {
  const isBreak = (i) => text[i] === "\n" || (/[.!?]/.test(text[i]) && i + 1 < text.length && /\s/.test(text[i + 1]));
  let from = start;
  while (from > 0 && !isBreak(from - 1)) from--;
  let to = Math.max(start, end - 1);
  while (to < text.length && !isBreak(to)) to++;
  if (to < text.length && /[.!?]/.test(text[to])) to++;
  return text.slice(from, to).trim();
}

// First rule that matches wins, the selection's words before the sentence's: "reached an agreement for the exchange
// of prisoners" is an agreement, "proposed talks" a proposal.
const KIND_RULES = [
  [/\b(agreed|agreement|signed|reached a deal)\b/i, "agreement-reached"],
  [/\b(proposed|proposal|proposes|offered)\b/i, "proposal-made"],
  [/\b(exchanged?|exchanges|returned|released|swapped|repatriated)\b/i, "exchange-completed"],
  [/\b(met|meeting|talks|held a round)\b/i, "meeting-held"],
  [/\b(said|stated|says|told|insisted)\b/i, "position-stated"],
];

function guessKind(selection, sentence) {
  const known = new Set(state.kinds.map((k) => k.name));
  for (const words of [selection, sentence]) {
    for (const [rule, kind] of KIND_RULES) if (rule.test(words) && known.has(kind)) return kind;
  }
  return known.has("statement-made") ? "statement-made" : state.kinds[0]?.name;
}

const STOP_WORDS = new Set("with from that this their them they were been have which about after before between other each side sides where when what also into over under than then there these those will would could should said told".split(" "));

function stems(words) {
  return new Set((words.toLowerCase().match(/\p{L}+/gu) || [])
    .filter((w) => w.length >= 4 && !STOP_WORDS.has(w))
    .map((w) => w.slice(0, 6)));
}

/**
 * The track whose title (three points a word) and description (one) share the most words with the sentence, each
 * word's points divided by the number of tracks that use it: "Russia" names many tracks and decides none.
 */
function guessTrack(sentence) {
  const words = stems(sentence);
  const tracks = state.negotiation.tracks.map((t) => ({ id: t.id, title: stems(t.title), description: stems(t.description || "") }));
  const spread = (w) => tracks.filter((t) => t.title.has(w) || t.description.has(w)).length || 1;
  let best = { score: 0, id: tracks[0]?.id };
  for (const track of tracks) {
    let score = 0;
    for (const w of words) score += (track.title.has(w) ? 3 : track.description.has(w) ? 1 : 0) / spread(w);
    if (score > best.score) best = { score, id: track.id };
  }
  return best.id;
}

const escape = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** Where a name first occurs as whole words (a party's name also as the start of a word: Russia, Russian). */
function firstAt(words, names, asStem) {
  let at = -1;
  for (const name of names.filter((n) => n && n.length >= 3)) {
    const stem = asStem && name.length > 4 ? name.replace(/[aeiy]$/i, "") : name;
    const match = new RegExp(`(?<![\\p{L}])${escape(stem)}${asStem ? "\\p{L}*" : "(?![\\p{L}])"}`, "u").exec(words);
    if (match && (at < 0 || match.index < at)) at = match.index;
  }
  return at;
}

function earliest(items, namesOf, selection, sentence, asStem) {
  for (const words of [selection, sentence]) {
    const found = items
      .map((item) => ({ item, at: firstAt(words, namesOf(item), asStem) }))
      .filter((f) => f.at >= 0)
      .sort((a, b) => a.at - b.at);
    if (found.length) return found.map((f) => f.item);
  }
  return [];
}

function guessActor(selection, sentence) {
  return earliest(state.negotiation.actors, (a) => [a.name, ...(a.aliases || [])], selection, sentence, false)[0];
}

function guessParties(selection, sentence) {
  return earliest(state.negotiation.parties, (p) => [p.name], selection, sentence, true);
}

const MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];
const MONTH = "(Jan(?:uary)?|Feb(?:ruary)?|Mar(?:ch)?|Apr(?:il)?|May|June?|July?|Aug(?:ust)?|Sept?(?:ember)?|Oct(?:ober)?|Nov(?:ember)?|Dec(?:ember)?)\\.?";
const DATE_PATTERNS = [
  [new RegExp("\\b(\\d{4})-(\\d{2})-(\\d{2})\\b", "g"), (m) => [+m[1], +m[2], +m[3]]],
  [new RegExp(`\\b${MONTH}\\s+(\\d{1,2})(?:st|nd|rd|th)?\\b(?:,?\\s+(\\d{4}))?`, "g"), (m) => [m[3] ? +m[3] : null, monthOf(m[1]), +m[2]]],
  [new RegExp(`\\b(\\d{1,2})(?:st|nd|rd|th)?\\s+(?:of\\s+)?${MONTH}(?:,?\\s+(\\d{4}))?`, "g"), (m) => [m[3] ? +m[3] : null, monthOf(m[2]), +m[1]]],
];
const WEEKDAYS = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];

function monthOf(name) {
  return MONTHS.findIndex((m) => m.slice(0, 3) === name.slice(0, 3)) + 1;
}

const iso = (d) => d.toISOString().slice(0, 10);
const utc = (y, m, d) => new Date(Date.UTC(y, m - 1, d));

/** The explicit dates of a text, with the characters they take, in order. */
function datesIn(words, published) {
  const found = [];
  for (const [pattern, parts] of DATE_PATTERNS) {
    for (const m of words.matchAll(pattern)) {
      let [year, month, day] = parts(m);
      if (month < 1 || day < 1 || day > 31) continue;
      // An article reports what has happened: a date without a year is the latest one not after publication.
      if (year === null) {
        year = published.getUTCFullYear();
        if (utc(year, month, day) > published) year--;
      }
      if (!found.some((f) => m.index < f.end && f.start < m.index + m[0].length)) {
        found.push({ start: m.index, end: m.index + m[0].length, words: m[0], date: iso(utc(year, month, day)) });
      }
    }
  }
  return found.sort((a, b) => a.start - b.start);
}

/** An explicit date in the selection or its sentence; else a weekday or "yesterday" from the publication date; else that date. */
function guessDate(selection, sentence) {
  const published = new Date(`${state.source.published}T00:00:00Z`);
  for (const words of [selection, sentence]) {
    const [first] = datesIn(words, published);
    if (first) return { date: first.date, why: `from "${first.words}" in the sentence` };
  }
  for (const words of [selection, sentence]) {
    const weekday = new RegExp(`\\b(?:on |last |this )?(${WEEKDAYS.join("|")})\\b`).exec(words);
    if (weekday) {
      const back = (published.getUTCDay() - WEEKDAYS.indexOf(weekday[1]) + 7) % 7;
      const day = new Date(published.getTime() - back * 86400000);
      return { date: iso(day), why: `"${weekday[0]}": the last ${weekday[1]} on or before publication (${state.source.published})` };
    }
    const relative = /\b(yesterday|today)\b/i.exec(words);
    if (relative) {
      const back = relative[1].toLowerCase() === "yesterday" ? 1 : 0;
      return { date: iso(new Date(published.getTime() - back * 86400000)), why: `"${relative[0]}" counted from publication (${state.source.published})` };
    }
  }
  return { date: state.source.published, why: "no date in the sentence: the publication date" };
}

const QUALIFIERS = { "at least": "at least", "more than": "more than", over: "more than", about: "about", around: "about", approximately: "about", some: "about", "up to": "up to" };

/** The numbers of the selection with the qualifiers the API reads ("at least 1,000"), leaving out dates and years. */
function guessCounts(selection) {
  const dates = datesIn(selection, new Date(`${state.source.published}T00:00:00Z`));
  const counts = [];
  const pattern = /\b(?:(at least|more than|over|about|around|approximately|some|up to)\s+)?(\d{1,3}(?:,\d{3})+|\d+)\b/gi;
  for (const m of selection.matchAll(pattern)) {
    const at = m.index + m[0].length - m[2].length;
    if (dates.some((d) => at >= d.start && at < d.end)) continue;
    if (!m[1] && /^(19|20)\d\d$/.test(m[2])) continue;
    counts.push(m[1] ? `${QUALIFIERS[m[1].toLowerCase()]} ${m[2]}` : m[2]);
  }
  return counts;
}

/** The fewest characters around the quote that make it occur once, as the server's quote locator reads prefix and suffix. */
function anchor(text, start, end) {
  const exact = text.slice(start, end);
  const occurrences = (prefix, suffix) => {
    let n = 0;
    for (let at = text.indexOf(exact); at >= 0; at = text.indexOf(exact, at + 1)) {
      const fits = (!prefix || text.slice(at - prefix.length, at) === prefix) && (!suffix || text.slice(at + exact.length, at + exact.length + suffix.length) === suffix);
      if (fits) n++;
    }
    return n;
  };
  if (occurrences() === 1) return { exact };
  for (let n = 8; n <= 256; n *= 2) {
    const prefix = text.slice(Math.max(0, start - n), start);
    const suffix = text.slice(end, end + n);
    if (prefix && occurrences(prefix) === 1) return { exact, prefix };
    if (suffix && occurrences(undefined, suffix) === 1) return { exact, suffix };
    if (occurrences(prefix, suffix) === 1) return { exact, prefix, suffix };
  }
  return { exact, prefix: text.slice(0, start), suffix: text.slice(end) };
}

// ---- The form ------------------------------------------------------------------------------------------------

const PARTY_FIELDS = ["proposed-by", "responding-party", "party", "set-by", "by", "from", "parties"];

function kindInfo(name) {
  return state.kinds.find((k) => k.name === name) || { name, fields: [] };
}

/** Which of the kind's own fields the form's party, counts and summary go to. */
function fieldsFor(kind) {
  const fields = new Set(kindInfo(kind).fields);
  return {
    party: PARTY_FIELDS.find((f) => fields.has(f)),
    counts: fields.has("transfers") ? "transfers" : fields.has("quantities") ? "quantities" : null,
    category: fields.has("category") || fields.has("quantities"),
    summary: fields.has("text") ? "text" : fields.has("position") ? "position" : fields.has("demand") ? "demand" : null,
    topic: fields.has("topic"),
  };
}

function options(select, items, chosen, blank) {
  select.replaceChildren(...(blank ? [el("option", { value: "" }, blank)] : []),
    ...items.map(([value, label]) => el("option", { value, selected: value === chosen }, label)));
  select.value = chosen ?? "";
}

function countRow(count = "", to = "") {
  const index = $("counts").children.length + 1;
  const parties = state.negotiation.parties.map((p) => [p.id, p.name]);
  const toSelect = el("select", { class: "count-to", "aria-label": `Count ${index}: to` });
  options(toSelect, parties, to, "(nobody named)");
  return el("li", { class: "count" },
    el("input", { class: "count-value", value: count, "aria-label": `Count ${index}`, autocomplete: "off" }),
    toSelect,
    el("button", { type: "button", class: "secondary remove", "aria-label": `Remove count ${index}`, onclick: (e) => e.target.closest("li").remove() }, "Remove"));
}

function adaptToKind() {
  const fields = fieldsFor($("kind").value);
  $("party").closest(".field").hidden = !fields.party;
  $("party-role").textContent = fields.party ? `(${fields.party})` : "";
  $("counts-field").hidden = !fields.counts;
  $("category-row").hidden = !fields.category;
  $("summary-role").textContent = fields.summary ? `(${fields.summary})` : "(not used by this kind)";
}

const slug = (s) => s.toLowerCase().normalize("NFKD").replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "");

function openForm(start, end) {
  const text = state.text;
  const quote = text.slice(start, end);
  const sentence = sentenceAround(text, start, end);
  const kind = guessKind(quote, sentence);
  const track = guessTrack(sentence);
  const actor = guessActor(quote, sentence);
  const named = guessParties(quote, sentence);
  const party = named[0]?.id ?? actor?.partyId ?? "";
  const { date, why } = guessDate(quote, sentence);
  state.selection = { start, end, ...anchor(text, start, end), parties: named.map((p) => p.id) };

  clearErrors();
  $("result").textContent = "";
  $("quote").textContent = quote;
  $("quote").dataset.start = start;
  $("quote").dataset.end = end;
  $("quote-place").textContent = `Characters ${start}–${end} of the stored text (${text.length}).`;
  options($("kind"), state.kinds.map((k) => [k.name, k.name]), kind);
  options($("track"), state.negotiation.tracks.map((t) => [t.id, t.title]), track);
  options($("said-by"), state.negotiation.actors.map((a) => [a.name, `${a.name}${a.partyId ? ` (${a.partyId})` : ""}`]), actor?.name ?? "", "(not named)");
  options($("party"), state.negotiation.parties.map((p) => [p.id, p.name]), party, "(none)");
  options($("category"), (state.negotiation.categories || []).map((c) => [c.id, c.name]), guessCategory(sentence), "(none)");
  $("occurred").value = date;
  $("occurred-why").textContent = why;
  $("key").value = slug(`${kind.split("-")[0]}-${date}-${party || track}`);
  $("counts").replaceChildren(...guessCounts(quote).map((c) => countRow(c, party)));
  $("summary").value = quote.length > 200 ? `${quote.slice(0, 197)}…` : quote;
  $("more").value = "";
  adaptToKind();
  $("coding").hidden = false;
  $("kind").focus();
}

function guessCategory(sentence) {
  const words = stems(sentence);
  const found = (state.negotiation.categories || []).find((c) => [...stems(c.name)].some((w) => words.has(w)));
  return found?.id ?? "";
}

function buildBody() {
  const kind = $("kind").value;
  const fields = fieldsFor(kind);
  const development = { key: $("key").value.trim(), track: $("track").value, kind, occurred: $("occurred").value.trim() };
  if ($("said-by").value) development["said-by"] = $("said-by").value;
  const party = $("party").value;
  if (fields.party && party) {
    development[fields.party] = fields.party === "parties" ? [party, ...state.selection.parties.filter((p) => p !== party)] : party;
  }
  if (fields.category && $("category").value) development.category = $("category").value;
  const counts = [...$("counts").querySelectorAll("li")]
    .map((li) => ({ count: li.querySelector(".count-value").value.trim(), to: li.querySelector(".count-to").value }))
    .filter((c) => c.count);
  if (fields.counts === "transfers" && counts.length) development.transfers = counts.map((c) => ({ to: c.to, count: c.count }));
  if (fields.counts === "quantities" && counts.length) {
    development.quantities = counts.map((c) => ({ category: $("category").value, count: c.count, ...(c.to ? { to: c.to } : {}) }));
  }
  if (fields.summary) development[fields.summary] = $("summary").value.trim();
  if (fields.topic) development.topic = development.track;
  const more = $("more").value.trim();
  if (more) {
    let extra;
    try {
      extra = JSON.parse(more);
    } catch (e) {
      throw new FieldProblem("more", `is not JSON: ${e.message}`);
    }
    if (typeof extra !== "object" || extra === null || Array.isArray(extra)) throw new FieldProblem("more", "must be a JSON object of field: value");
    Object.assign(development, extra);
  }
  const { exact, prefix, suffix } = state.selection;
  development.reports = [{ source: sourceId, quote: exact, ...(prefix ? { prefix } : {}), ...(suffix ? { suffix } : {}) }];
  return { negotiation: negotiationId, developments: [development] };
}

class FieldProblem extends Error {
  constructor(field, message) {
    super(message);
    this.field = field;
  }
}

// A problem's field path (developments[0].reports[0].quote) to the form field it is shown next to.
const FORM_FIELDS = {
  quote: "quote", prefix: "quote", suffix: "quote", source: "quote",
  kind: "kind", track: "track", "also-tracks": "track", occurred: "occurred", key: "key",
  "said-by": "said-by", "said-by-party": "said-by", "said-by-role": "said-by", "role-as-given": "said-by",
  transfers: "counts", quantities: "counts", category: "counts",
  text: "text", position: "text", topic: "text", demand: "text",
};

function formFieldOf(path) {
  const rest = path.replace(/^developments\[\d+\]\.?/, "").replace(/^reports\[\d+\]\.?/, "");
  const head = rest.split(/[.[]/)[0];
  if (FORM_FIELDS[head]) return FORM_FIELDS[head];
  if (PARTY_FIELDS.includes(head)) return "party";
  return path.startsWith("developments[") && head ? "more" : null;
}

function clearErrors() {
  for (const p of document.querySelectorAll(".field-error")) {
    p.hidden = true;
    p.textContent = "";
  }
  for (const c of document.querySelectorAll("[aria-invalid]")) c.removeAttribute("aria-invalid");
  $("form-error").hidden = true;
}

function showFieldError(field, message) {
  const target = $(`${field}-error`);
  if (!target) return showFormError(message);
  target.textContent = target.textContent ? `${target.textContent} ${message}` : message;
  target.hidden = false;
  const control = target.closest(".field")?.querySelector("input, select, textarea, blockquote");
  control?.setAttribute("aria-invalid", "true");
}

function showFormError(message) {
  $("form-error").textContent = message;
  $("form-error").hidden = false;
}

function showProblem(problem) {
  const errors = problem.errors || [];
  for (const e of errors) {
    const field = formFieldOf(e.field);
    if (field) showFieldError(field, `${e.field}: ${e.message}`);
    else showFormError(`${e.field}: ${e.message}`);
  }
  if (errors.length === 0) showFormError(problem.detail || problem.title || "The server refused the request.");
  document.querySelector(".field-error:not([hidden]), #form-error:not([hidden])")?.closest(".field, form")?.querySelector("input, select, textarea")?.focus();
}

// ---- The key: asked for once per tab, kept in session storage, dropped when the server refuses it ----------------

function askForKey(reason) {
  const dialog = $("key-dialog");
  $("key-reason").textContent = reason;
  $("api-key").value = "";
  dialog.showModal();
  return new Promise((resolve) => {
    dialog.addEventListener("close", () => {
      const key = $("api-key").value.trim();
      resolve(dialog.returnValue === "ok" && key ? key : null);
    }, { once: true });
  });
}

async function writerKey(reason) {
  const stored = sessionStorage.getItem(KEY_STORAGE);
  if (stored) return stored;
  const key = await askForKey(reason);
  if (key) sessionStorage.setItem(KEY_STORAGE, key);
  return key;
}

async function submit(event) {
  event.preventDefault();
  clearErrors();
  let body;
  try {
    body = buildBody();
  } catch (e) {
    if (e instanceof FieldProblem) return showFieldError(e.field, e.message);
    throw e;
  }
  let reason = "Recording needs a writer's key. It is kept in this tab only (session storage) and sent as a bearer token.";
  for (;;) {
    const key = await writerKey(reason);
    if (!key) return showFormError("Nothing was recorded: recording needs a writer's key.");
    $("submit").disabled = true;
    let response;
    try {
      response = await fetch("/api/developments", {
        method: "POST",
        headers: { "Content-Type": "application/json", Accept: "application/json", Authorization: `Bearer ${key}` },
        body: JSON.stringify(body),
      });
    } catch (e) {
      return showFormError(`Nothing was recorded: the server could not be reached (${e.message}).`);
    } finally {
      $("submit").disabled = false;
    }
    const answer = await response.json().catch(() => ({}));
    if (response.status === 401 || response.status === 403) {
      sessionStorage.removeItem(KEY_STORAGE);
      reason = `The server refused the key (${response.status}): ${answer.detail || "not a writer's key"}. Enter another.`;
      continue;
    }
    if (!response.ok) return showProblem(answer);
    const claims = answer.claims || [];
    // The stream may deliver the development before this answer arrives.
    const waiting = claims.filter((c) => c.outcome !== "already-recorded" && !state.fresh.has(c.claimId));
    for (const c of waiting) state.awaited.add(c.claimId);
    $("result").textContent = claims.map((c) => `${c.developmentKey}: ${c.outcome.replace("-", " ")}${waiting.includes(c) ? " — marking it when the live stream delivers it" : c.outcome === "already-recorded" ? "" : " and marked in the text"}.`).join(" ");
    return;
  }
}

// ---- Live: a development citing this source is marked as soon as the stream delivers it -----------------------

function connect() {
  const live = $("live");
  const stream = new EventSource(`/api/stream?negotiation=${encodeURIComponent(negotiationId)}&from=end`);
  stream.onopen = () => {
    live.textContent = "Live";
    live.classList.add("on");
  };
  stream.onerror = () => {
    live.textContent = "Reconnecting…";
    live.classList.remove("on");
  };
  stream.addEventListener("development", (event) => {
    const d = JSON.parse(event.data);
    const quote = d.development?.claim?.provenance?.quote;
    if (d.sourceId !== sourceId || !quote) return;
    state.citations = state.citations.filter((c) => c.claimId !== d.claimId);
    state.citations.push({ claimId: d.claimId, developmentKey: d.developmentKey, trackId: d.trackId, kind: d.kind, start: quote.start, end: quote.end });
    state.fresh.add(d.claimId);
    renderText();
    if (state.awaited.delete(d.claimId)) $("result").textContent = `${d.developmentKey}: recorded (event ${d.sequence}) and marked in the text.`;
  });
}

function showLoadError(message) {
  $("load-error").textContent = message;
  $("load-error").hidden = false;
}

async function start() {
  $("form").addEventListener("submit", (e) => submit(e).catch((error) => showFormError(String(error.message || error))));
  $("cancel").addEventListener("click", () => {
    $("coding").hidden = true;
    $("text").focus();
  });
  $("kind").addEventListener("change", adaptToKind);
  $("add-count").addEventListener("click", () => $("counts").append(countRow("", $("party").value)));
  $("text").addEventListener("mouseup", onSelection);
  $("text").addEventListener("keyup", (e) => e.shiftKey && onSelection());
  try {
    const [negotiation, source, kinds] = await Promise.all([
      api(`/api/negotiations/${encodeURIComponent(negotiationId)}`),
      api(`/api/sources/${encodeURIComponent(sourceId)}`),
      api("/api/development-kinds"),
    ]);
    Object.assign(state, { negotiation, source: source.source, text: source.text, kinds, citations: source.source.citations });
    $("home").href = `/?negotiation=${encodeURIComponent(negotiationId)}`;
    $("negotiation-title").textContent = negotiation.title;
    $("source-title").textContent = source.source.title;
    $("source-meta").textContent = `${source.source.outlet} · published ${source.source.published} · ${source.source.citations.length} passages coded`;
    document.title = `${source.source.title} — code a source — Ledger`;
    renderText();
    connect();
  } catch (error) {
    $("source-title").textContent = "Source not available";
    showLoadError(String(error.message || error));
  }
}

start();
