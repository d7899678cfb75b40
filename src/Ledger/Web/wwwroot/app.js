// Ledger's page: plain JavaScript over the HTTP API, no build step and nothing fetched from elsewhere.
"use strict";

const $ = (id) => document.getElementById(id);
const state = { negotiation: null, asOf: "", knownOn: "", source: null, events: null, reloadTimer: null, fresh: new Set() };

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    if (key === "class") node.className = value;
    else if (key === "text") node.textContent = value;
    else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
    else if (key === "dataset") Object.assign(node.dataset, value);
    else node.setAttribute(key, value === true ? "" : value);
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

const words = (kebab) => String(kebab ?? "").replaceAll("-", " ");

async function api(path) {
  const response = await fetch(path, { headers: { Accept: "application/json" } });
  const body = await response.json().catch(() => null);
  if (!response.ok) {
    throw new Error(body?.detail ?? `${response.status} ${response.statusText}`);
  }
  return body;
}

function axesQuery() {
  const params = new URLSearchParams();
  if (state.asOf) params.set("asOf", state.asOf);
  if (state.knownOn) params.set("knownOn", state.knownOn);
  const text = params.toString();
  return text ? `?${text}` : "";
}

function announce(text) {
  $("announcer").textContent = text;
}

/** A fact that leads to its evidence: a button, so it works from the keyboard. */
function fact(label, evidence, extraClass) {
  const claims = (evidence ?? []).map((e) => e.claimId);
  return el("button", {
    type: "button",
    class: `fact${extraClass ? " " + extraClass : ""}`,
    dataset: { claims: claims.join(" ") },
    "aria-label": `${label}: show the ${claims.length === 1 ? "event" : `${claims.length} events`} and sources behind it`,
    onclick: () => showEvidence(label, claims),
  }, label);
}

function totalText(t) {
  const range = t.min === t.max ? `${t.min.toLocaleString("en")}` : `${t.min.toLocaleString("en")}–${t.max.toLocaleString("en")}`;
  return t.lowerBound ? `at least ${range}` : t.approximate ? `about ${range}` : range;
}

function quantityText(q) {
  const count = q.count.qualifier === "all" ? "all" : countText(q.count);
  return `${count} ${words(q.category)}${q.toParty ? ` to ${q.toParty}` : ""}`;
}

function countText(c) {
  if (!c) return "number not given";
  const n = c.value.toLocaleString("en");
  return { "at-least": `at least ${n}`, "more-than": `more than ${n}`, about: `about ${n}`, "up-to": `up to ${n}`, all: "all" }[c.qualifier] ?? n;
}

function transferText(t, category) {
  return `${countText(t.count)} ${words(t.category ?? category)} to ${t.toParty}`;
}

/** Every list of the status that holds something; a card never shows a phase while hiding what set it. */
function trackCard(report) {
  const s = report.status;
  const independent = new Map((s.corroboration ?? []).map((c) => [c.developmentKey, c]));
  // Beside a row: how many independent sources report it, whose own assertion it is, and every version where reports differ.
  const sourcing = (key, evidence, versions) => {
    const c = independent.get(key);
    const asserted = [...new Set((evidence ?? []).map((e) => e.assertedBy).filter(Boolean))];
    return [
      c && c.reports > 1 ? el("span", { class: "corroboration", text: ` · ${c.independentSources} independent source${c.independentSources === 1 ? "" : "s"} of ${c.reports} reports` }) : [],
      asserted.length ? el("span", { class: "asserted", text: ` · ${asserted.join(", ")}'s own assertion` }) : [],
      versions && versions.length ? el("ul", { class: "versions", "aria-label": "every version, with its sources" }, versions.map((v) =>
        el("li", {}, fact(v.value, v.evidence), ` — ${[...new Set(v.evidence.map((e) => e.sourceId))].join(", ")}`))) : [],
    ];
  };
  const phase = s.phase;
  const disputed = phase.alternative !== undefined && phase.alternative !== null;
  const phaseLabel = disputed ? `${words(phase.value)} (disputed: ${words(phase.alternative)})` : words(phase.value);
  const section = (title, items) => items.length ? [el("h4", { text: title }), el("ul", {}, items)] : [];
  const proposalDetails = (p) => [
    ...(p.quantities ?? []).map(quantityText),
    p.due ? `due ${p.due}` : null,
    p.openForDays != null ? `open ${p.openForDays} days` : null,
    p.lapsed ? `lapsed since ${p.lapsed.since}` : null,
  ].filter(Boolean).join(", ");
  const commitments = new Map((s.commitments ?? []).map((c) => [c.agreementKey, c]));
  const agreementItem = (a) => {
    const c = commitments.get(a.developmentKey);
    const committed = (a.quantities ?? []).map(quantityText).join("; ");
    return el("li", { class: "agreement" }, `${a.occurred}: `, fact(a.text + (committed ? ` (${committed})` : ""), a.evidence),
      sourcing(a.developmentKey, a.evidence, a.versions),
      c && c.stages.length ? el("ul", { class: "stages" }, c.stages.map((st) => el("li", {},
        `${st.stage ? `stage ${st.stage}` : "stage"}, ${st.occurred}, ${words(st.kind)}: `,
        fact(st.transfers.map((t) => transferText(t, st.category)).join("; "), st.evidence)))) : [],
      c ? c.fulfilment.map((f) => f.carriedOut
        ? el("p", { class: "fulfilment" }, "Carried out: ",
          fact(`${totalText(f.carriedOut)}${f.committed ? ` of ${countText(f.committed)}` : ""} ${words(f.category)} to ${f.toParty}`
            + (f.ratio != null ? ` (${Math.round(100 * f.ratio)}%)` : ""),
            f.carriedOut.evidence))
        : el("p", { class: "fulfilment empty" }, `No completed stage reported${f.committed ? ` of ${countText(f.committed)}` : ""} ${words(f.category)} to ${f.toParty}.`)) : [],
      c ? c.reportedTotals.map((t) => el("p", { class: "reported-total" }, "A source's running total: ",
        fact(t.transfers.map((x) => transferText(x, t.category)).join("; ") + (t.complete ? " — said to be complete" : ""), t.evidence))) : []);
  };
  const items = [
    ...section("Positions", s.positions.map((p) => el("li", {}, `${p.party} on ${words(p.topic)}: `,
      fact(p.position + (p.restated ? " (restated)" : ""), p.evidence)))),
    ...section("Proposals", s.proposals.map((p) => el("li", { class: p.lapsed ? "lapsed" : "" }, `${p.proposedBy}, ${p.occurred}: `,
      fact(p.text, [...p.evidence, ...p.responses.flatMap((r) => r.evidence)]),
      ` — ${words(p.state)}${proposalDetails(p) ? `; ${proposalDetails(p)}` : ""}`,
      sourcing(p.developmentKey, p.evidence, p.versions),
      p.responses.length ? el("ul", {}, p.responses.map((r) => el("li", {}, `${r.party} ${words(r.response)}: `, fact(r.text, r.evidence)))) : []))),
    ...section("Agreements and what became of them", s.agreements.map(agreementItem)),
    ...section("Exchanges", s.exchanges.map((x) => el("li", {}, `${x.occurred}, ${words(x.kind)}: `,
      fact(`${x.text} (${x.transfers.map((t) => transferText(t, x.category)).join("; ")})`, x.evidence),
      x.implements ? ` — carries out ${x.implements.agreementKey}${x.implements.stage ? ` stage ${x.implements.stage}` : ""}` : "",
      sourcing(x.developmentKey, x.evidence, x.versions)))),
    ...section("Totals exchanged", s.totals.map((t) => el("li", {}, `${words(t.category)} to ${t.toParty}: `, fact(totalText(t), t.evidence)))),
    ...section("Meetings planned", (s.meetings ?? []).map((m) => el("li", { class: m.lapsed ? "lapsed" : "" },
      fact(`${m.developmentKey}: planned${m.plannedVenue ? ` in ${m.plannedVenue}` : ""}${m.plannedFor ? ` for ${m.plannedFor}` : ""}`, m.evidence),
      m.heldOn ? ` — held ${m.heldOn}${m.changed.length ? `; changed: ${m.changed.join("; ")}` : " as planned"}` : m.lapsed ? ` — not held; lapsed since ${m.lapsed.since}` : " — not held yet"))),
    ...section("Other developments", s.other.map((o) => el("li", { class: o.lapsed ? "lapsed" : "" }, `${o.occurred}, ${words(o.kind)}: `,
      fact(o.summary, o.evidence), o.lapsed ? ` — lapsed since ${o.lapsed.since}` : "",
      sourcing(o.developmentKey, o.evidence, o.versions)))),
    ...section("Disputed points", s.disputes.map((d) => el("li", { class: "dispute" },
      el("strong", { text: `${d.developmentKey}: ${words(d.fact)}` }),
      el("ul", {}, d.versions.map((v) => el("li", {}, fact(v.value, v.evidence), " — ",
        [...new Set(v.evidence.map((e) => e.sourceId))].join(", "))))))),
  ];
  return el("article", { class: "card", dataset: { track: report.track.id }, "aria-labelledby": `track-${report.track.id}` },
    el("h3", { id: `track-${report.track.id}`, text: report.track.title }),
    el("p", {}, "Phase: ", el("span", { class: `phase${disputed ? " disputed" : ""}`, dataset: { phase: phase.value } },
      fact(phaseLabel, [...phase.evidence, ...(phase.alternativeEvidence ?? [])]))),
    items.length ? items : el("p", { class: "empty", text: "Nothing reported on this track for the dates asked." }),
    s.window ? el("p", { class: "empty", text: `${s.claimCount.toLocaleString("en")} reports: the lists show the developments among the latest ${s.window.reports}, from ${s.window.from}; phase, positions and totals are the whole track's.` }) : [],
  );
}

async function loadNegotiations() {
  const negotiations = await api("/api/negotiations");
  const select = $("negotiation");
  select.replaceChildren(...negotiations.map((n) => el("option", { value: n.id, text: n.title })));
  const wanted = new URLSearchParams(location.search).get("negotiation");
  state.negotiation = negotiations.find((n) => n.id === wanted)?.id ?? negotiations[0]?.id ?? null;
  if (state.negotiation) select.value = state.negotiation;
  return negotiations.length;
}

async function load() {
  if (!state.negotiation) {
    $("tracks").replaceChildren(el("p", { class: "empty", text: "No negotiation is registered yet." }));
    return;
  }
  const id = encodeURIComponent(state.negotiation);
  const [status, timeline] = await Promise.all([
    api(`/api/negotiations/${id}/status${axesQuery()}`),
    api(`/api/negotiations/${id}/timeline${axesQuery()}`),
  ]);
  const parts = [];
  if (state.asOf) parts.push(`as of ${state.asOf}`);
  if (state.knownOn) parts.push(`as known on ${state.knownOn}`);
  $("axes").textContent = parts.length ? `— ${parts.join(", ")}` : "— everything recorded";
  $("tracks").replaceChildren(...status.tracks.map(trackCard));
  $("timeline").replaceChildren(...(timeline.length ? timeline.map((e) => el("li", { class: state.fresh.has(e.id) ? "new" : null, dataset: { claim: e.id, track: e.trackId } },
    el("time", { datetime: e.occurredBy ?? "", text: e.occurred }),
    el("span", { class: "tag", text: `${e.trackId} · ${words(e.kind)} · ` }),
    fact(e.summary, [{ claimId: e.id }]),
    el("span", { class: "tag", text: ` — ${e.sourceId}, published ${e.published}` }))) : [el("li", { class: "empty", text: "Nothing reported for these dates." })]));
  document.body.dataset.loaded = String(Date.now());
}

async function showEvidence(label, claimIds) {
  const panel = $("detail");
  panel.hidden = false;
  $("detail-heading").textContent = label;
  $("source").hidden = true;
  const body = $("detail-body");
  body.replaceChildren(el("p", { class: "hint", text: "Loading the events…" }));
  $("detail-heading").focus();
  try {
    const claims = await Promise.all(claimIds.map((id) => api(`/api/events/${encodeURIComponent(id)}`)));
    body.replaceChildren(...claims.map((c) => {
      const q = c.quote;
      const before = q.sentence.slice(0, q.startInSentence);
      const exact = q.sentence.slice(q.startInSentence, q.startInSentence + q.exact.length);
      const after = q.sentence.slice(q.startInSentence + q.exact.length);
      const saidBy = c.saidBy ? (c.saidBy.asNamed ?? (c.saidBy.role ? `the ${c.saidBy.role} of ${c.saidBy.party}` : null) ?? c.saidBy.party ?? c.saidBy.actor) : null;
      // The ledger's reading of a role, never the source's words: shown apart from them.
      const roleNotes = [
        c.saidBy?.resolvedActor ? `resolved by the ledger: ${c.saidBy.resolvedActor}, from ${c.saidBy.resolvedFrom}` : null,
        c.saidBy?.unresolved ? `not resolved by the ledger: ${c.saidBy.unresolved}` : null,
        c.saidBy?.roleConflict ? `role conflict: ${c.saidBy.roleConflict}` : null,
      ].filter((note) => note).map((note) => el("p", { class: "hint", text: note }));
      return el("div", { class: "claim", dataset: { claim: c.claimId } },
        el("p", {}, el("strong", { text: words(c.kind) }), ` · ${c.developmentKey} · occurred ${c.occurred}`, c.superseded ? " · superseded" : ""),
        el("p", { text: c.summary }),
        el("blockquote", {}, before, el("mark", { text: exact }), after),
        el("p", { class: "hint" }, `${c.outlet}, “${c.sourceTitle}”, published ${c.published}`, saidBy ? ` · said by ${saidBy}` : "",
          ` · recorded by ${c.recordedBy ?? "unknown"} (event #${c.eventSequence})`),
        ...roleNotes,
        el("button", { type: "button", class: "open-source", onclick: () => openSource(c.sourceId, q.start, q.end) },
          `Open ${c.sourceId} at this quote`));
    }));
  } catch (error) {
    body.replaceChildren(el("p", { role: "alert", text: `Could not load the events: ${error.message}` }));
  }
}

async function openSource(sourceId, start, end) {
  const source = await api(`/api/sources/${encodeURIComponent(sourceId)}`);
  const text = source.text;
  const meta = source.source;
  $("source").hidden = false;
  $("source-heading").textContent = `${meta.outlet}: ${meta.title}`;
  $("source-meta").textContent = `${meta.id} · published ${meta.published}${meta.url ? " · " + meta.url : ""} · characters ${start}–${end} of ${text.length}`;
  const mark = el("mark", { id: "quote-mark", class: "current", text: text.slice(start, end) });
  $("source-text").replaceChildren(text.slice(0, start), mark, text.slice(end));
  $("source-heading").focus();
  mark.scrollIntoView({ block: "center" });
}

function scheduleReload() {
  clearTimeout(state.reloadTimer);
  state.reloadTimer = setTimeout(() => load().catch(showError), 250);
}

function connect() {
  state.events?.close();
  if (!state.negotiation) return;
  const source = new EventSource(`/api/stream?negotiation=${encodeURIComponent(state.negotiation)}&from=end`);
  state.events = source;
  source.onopen = () => { $("live").textContent = "Live: new developments appear as they are recorded."; $("live").classList.add("on"); };
  source.onerror = () => { $("live").textContent = "Reconnecting to the live feed…"; $("live").classList.remove("on"); };
  source.addEventListener("development", (message) => {
    const d = JSON.parse(message.data);
    state.fresh.add(d.claimId);
    $("live").textContent = `Live · new: ${d.summary} (${d.trackId}, #${d.sequence})`;
    $("live").classList.add("on");
    announce(`New development on ${d.trackId}: ${d.summary}`);
    scheduleReload();
  });
}

function showError(error) {
  $("tracks").replaceChildren(el("p", { role: "alert", text: `Could not load: ${error.message}` }));
}

function syncUrl() {
  const params = new URLSearchParams();
  if (state.negotiation) params.set("negotiation", state.negotiation);
  if (state.asOf) params.set("asOf", state.asOf);
  if (state.knownOn) params.set("knownOn", state.knownOn);
  history.replaceState(null, "", `${location.pathname}?${params}`);
}

async function start() {
  const params = new URLSearchParams(location.search);
  state.asOf = params.get("asOf") ?? "";
  state.knownOn = params.get("knownOn") ?? "";
  $("as-of").value = state.asOf;
  $("known-on").value = state.knownOn;
  $("negotiation").addEventListener("change", (e) => { state.negotiation = e.target.value; syncUrl(); load().catch(showError); connect(); });
  $("as-of").addEventListener("change", (e) => { state.asOf = e.target.value; syncUrl(); load().catch(showError); });
  $("known-on").addEventListener("change", (e) => { state.knownOn = e.target.value; syncUrl(); load().catch(showError); });
  $("reset").addEventListener("click", () => { state.asOf = state.knownOn = ""; $("as-of").value = $("known-on").value = ""; syncUrl(); load().catch(showError); });
  $("close-detail").addEventListener("click", () => { $("detail").hidden = true; $("tracks").focus(); });
  document.addEventListener("keydown", (e) => { if (e.key === "Escape" && !$("detail").hidden) { $("detail").hidden = true; $("tracks").focus(); } });
  try {
    await loadNegotiations();
    await load();
    connect();
  } catch (error) {
    showError(error);
  }
}

start();
