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

const sourceList = (evidence) => [...new Set((evidence ?? []).map((e) => e.sourceId))];

/** The address of one field of a track (the paths `ledger audit --field` takes), on the track's own page. */
function fieldHref(trackId, path) {
  return `/tracks/${encodeURIComponent(state.negotiation)}/${encodeURIComponent(trackId)}${axesQuery()}#field=${encodeURIComponent(path)}`;
}

/** A row of a card: its field path as the element's address, a link to it, and the sources behind it. */
function row(trackId, path, attrs, ...children) {
  // Two reports of one development can make two rows of one field: the second is addressed as <path>.2.
  const seen = (rowIds.get(trackId) ?? rowIds.set(trackId, new Map()).get(trackId));
  const n = (seen.get(path) ?? 0) + 1;
  seen.set(path, n);
  const id = `field-${trackId}-${path}${n > 1 ? `.${n}` : ""}`;
  const address = id.slice(`field-${trackId}-`.length);
  return el("li", { ...attrs, id, dataset: { field: path } },
    el("a", { class: "permalink", href: fieldHref(trackId, address), "aria-label": `Link to ${address}`, title: `Link to ${address}` }, "#"), ...children);
}

/** An exchange's field: `exchanges.<key>`, or `exchanges.<key>.<kind>` where one development is reported both under way and completed. */
function exchangePath(status, exchange) {
  const shared = status.exchanges.filter((x) => x.developmentKey === exchange.developmentKey).length > 1;
  return `exchanges.${exchange.developmentKey}${shared ? `.${exchange.kind}` : ""}`;
}

/** Every list of the status that holds something; a card never shows a phase while hiding what set it. */
const rowIds = new Map();

function trackCard(report, options = {}) {
  const s = report.status;
  const trackId = report.track.id;
  rowIds.delete(trackId);
  const independent = new Map((s.corroboration ?? []).map((c) => [c.developmentKey, c]));
  const key = (k) => el("span", { class: "key", text: k });
  // Beside a row: its sources, how many of them are independent, whose own assertion it is, and every version where reports differ.
  const sourcing = (devKey, evidence, versions) => {
    const c = independent.get(devKey);
    const asserted = [...new Set((evidence ?? []).map((e) => e.assertedBy).filter(Boolean))];
    const hasVersions = versions && versions.length;
    return [
      hasVersions ? [] : el("span", { class: "sources", text: ` — ${sourceList(evidence).join(", ")}` }),
      c && c.reports > 1 ? el("span", { class: "corroboration", text: ` · ${c.independentSources} independent source${c.independentSources === 1 ? "" : "s"} of ${c.reports} reports` }) : [],
      asserted.length ? el("span", { class: "asserted", text: ` · ${asserted.join(", ")}'s own assertion` }) : [],
      hasVersions ? el("ul", { class: "versions", "aria-label": "every version, with its sources" }, versions.map((v) =>
        el("li", {}, fact(v.value, v.evidence), ` — ${sourceList(v.evidence).join(", ")}`))) : [],
    ];
  };
  const withSources = (evidence) => el("span", { class: "sources", text: ` — ${sourceList(evidence).join(", ")}` });
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
  const transfers = (list, category) => list.length ? list.map((t) => transferText(t, category)).join("; ") : "no figure given";
  const commitments = new Map((s.commitments ?? []).map((c) => [c.agreementKey, c]));
  const agreementItem = (a) => {
    const c = commitments.get(a.developmentKey);
    const committed = (a.quantities ?? []).map(quantityText).join("; ");
    const base = `commitments.${a.developmentKey}`;
    return row(trackId, `agreements.${a.developmentKey}`, { class: "agreement" }, `${a.occurred} `, key(a.developmentKey), ": ",
      fact(a.text + (committed ? ` (${committed})` : "") + (a.due ? `, due ${a.due}` : ""), a.evidence),
      sourcing(a.developmentKey, a.evidence, a.versions),
      c && c.stages.length ? el("ul", { class: "stages", "aria-label": "stages carried out" }, c.stages.map((st) => el("li", {},
        `${st.stage ? `stage ${st.stage}` : "stage"}, ${st.occurred}, ${words(st.kind)}: `,
        fact(transfers(st.transfers, st.category), st.evidence), withSources(st.evidence)))) : [],
      c ? el("ul", { class: "fulfilment-list" }, c.fulfilment.map((f) => row(trackId, `${base}.${f.category}.to-${f.toParty}`, { class: `fulfilment${f.carriedOut ? "" : " empty"}` },
        f.carriedOut
          ? ["Carried out: ", fact(`${totalText(f.carriedOut)}${f.committed ? ` of ${countText(f.committed)}` : ""} ${words(f.category)} to ${f.toParty}`
            + (f.ratio != null ? ` (${Math.round(100 * f.ratio)}%)` : ""), f.carriedOut.evidence), withSources(f.carriedOut.evidence)]
          : `No completed stage reported${f.committed ? ` of ${countText(f.committed)}` : ""} ${words(f.category)} to ${f.toParty}.`)),
        c.reportedTotals.map((t) => row(trackId, `${base}.reported-totals.${t.developmentKey}`, { class: "reported-total" }, `A source's running total, ${t.occurred}: `,
          fact(t.transfers.length ? transfers(t.transfers, t.category) + (t.complete ? " — said to be complete" : "") : "said to be complete, no figure given", t.evidence),
          withSources(t.evidence)))) : []);
  };
  const items = [
    ...section("Positions", s.positions.map((p) => row(trackId, `positions.${p.party}.${p.topic}`, {}, `${p.party} on ${words(p.topic)}: `,
      fact(p.position + (p.restated ? " (restated)" : ""), p.evidence), sourcing(p.developmentKey, p.evidence, p.versions)))),
    ...section("Proposals", s.proposals.map((p) => row(trackId, `proposals.${p.developmentKey}`, { class: p.lapsed ? "lapsed" : "" }, `${p.proposedBy}, ${p.occurred}: `,
      fact(p.text, [...p.evidence, ...p.responses.flatMap((r) => r.evidence)]),
      ` — ${words(p.state)}${proposalDetails(p) ? `; ${proposalDetails(p)}` : ""}`,
      sourcing(p.developmentKey, p.evidence, p.versions),
      p.responses.length ? el("ul", {}, p.responses.map((r) => el("li", {}, `${r.party} ${words(r.response)}: `, fact(r.text, r.evidence), withSources(r.evidence)))) : []))),
    ...section("Agreements and what became of them", s.agreements.map(agreementItem)),
    ...section("Exchanges", s.exchanges.map((x) => row(trackId, exchangePath(s, x), {}, `${x.occurred}, ${words(x.kind)}: `,
      fact(x.transfers.length ? `${x.text} (${transfers(x.transfers, x.category)})` : x.text, x.evidence),
      x.implements ? ` — carries out ${x.implements.agreementKey}${x.implements.stage ? ` stage ${x.implements.stage}` : ""}` : "",
      sourcing(x.developmentKey, x.evidence, x.versions)))),
    ...section("Totals exchanged", s.totals.map((t) => row(trackId, `totals.${t.category}.to-${t.toParty}`, {}, `${words(t.category)} to ${t.toParty}: `, fact(totalText(t), t.evidence), withSources(t.evidence)))),
    ...section("Meetings planned", (s.meetings ?? []).map((m) => row(trackId, `meetings.${m.developmentKey}`, { class: m.lapsed ? "lapsed" : "" },
      fact(`${m.developmentKey}: planned${m.plannedVenue ? ` in ${m.plannedVenue}` : ""}${m.plannedFor ? ` for ${m.plannedFor}` : ""}`, m.evidence),
      m.heldOn ? ` — held ${m.heldOn}${m.changed.length ? `; changed: ${m.changed.join("; ")}` : " as planned"}` : m.lapsed ? ` — not held; lapsed since ${m.lapsed.since}` : " — not held yet",
      withSources(m.evidence)))),
    ...section("Other developments", s.other.map((o) => row(trackId, `developments.${o.developmentKey}`, { class: o.lapsed ? "lapsed" : "" }, `${o.occurred}, ${words(o.kind)}: `,
      fact(o.summary, o.evidence), o.lapsed ? ` — lapsed since ${o.lapsed.since}` : "",
      sourcing(o.developmentKey, o.evidence, o.versions)))),
    ...section("Disputed points", s.disputes.map((d) => row(trackId, `disputes.${d.developmentKey}.${d.fact}`, { class: "dispute" },
      el("strong", { text: `${d.developmentKey}: ${words(d.fact)}` }),
      el("ul", {}, d.versions.map((v) => el("li", {}, fact(v.value, v.evidence), " — ", sourceList(v.evidence).join(", "))))))),
  ];
  const title = options.linkTitle === false
    ? report.track.title
    : el("a", { href: `/tracks/${encodeURIComponent(state.negotiation)}/${encodeURIComponent(trackId)}${axesQuery()}` }, report.track.title);
  return el("article", { class: "card", dataset: { track: trackId }, "aria-labelledby": `track-${trackId}` },
    el(options.heading ?? "h3", { id: `track-${trackId}` }, title),
    el("p", { id: `field-${trackId}-phase`, dataset: { field: "phase" } }, "Phase: ", el("span", { class: `phase${disputed ? " disputed" : ""}`, dataset: { phase: phase.value } },
      fact(phaseLabel, [...phase.evidence, ...(phase.alternativeEvidence ?? [])])), withSources([...phase.evidence, ...(phase.alternativeEvidence ?? [])])),
    items.length ? items : el("p", { class: "empty", text: "Nothing reported on this track for the dates asked." }),
    s.lastChange ? el("p", { class: "last-change", id: `field-${trackId}-last-change`, dataset: { field: "last-change" } }, "Last change: ",
      fact(`${s.lastChange.occurred}: ${s.lastChange.developmentKeys.join(", ")}`, s.lastChange.evidence)) : [],
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

function timelineItems(timeline) {
  return timeline.length ? timeline.map((e) => el("li", { class: state.fresh.has(e.id) ? "new" : null, id: `claim-${e.id}`, dataset: { claim: e.id, track: e.trackId } },
    el("time", { datetime: e.occurredBy ?? "", text: e.occurred }),
    el("span", { class: "tag", text: `${e.trackId} · ${words(e.kind)} · ` }),
    fact(e.summary, [{ claimId: e.id }]),
    el("span", { class: "tag", text: ` — ${e.sourceId}, published ${e.published}` }))) : [el("li", { class: "empty", text: "Nothing reported for these dates." })];
}

function axesText() {
  const parts = [];
  if (state.asOf) parts.push(`as of ${state.asOf}`);
  if (state.knownOn) parts.push(`as known on ${state.knownOn}`);
  return parts.length ? `— ${parts.join(", ")}` : "— everything recorded";
}

async function load() {
  if (state.page === "track") return loadTrack();
  if (!state.negotiation) {
    $("tracks").replaceChildren(el("p", { class: "empty", text: "No negotiation is registered yet." }));
    return;
  }
  const id = encodeURIComponent(state.negotiation);
  const [status, timeline] = await Promise.all([
    api(`/api/negotiations/${id}/status${axesQuery()}`),
    api(`/api/negotiations/${id}/timeline${axesQuery()}`),
  ]);
  $("axes").textContent = axesText();
  $("tracks").replaceChildren(...status.tracks.map((t) => trackCard(t)));
  $("timeline").replaceChildren(...timelineItems(timeline));
  document.body.dataset.loaded = String(Date.now());
}

const phaseOrder = ["no-contact", "discussed", "proposed", "under-consideration", "stalled", "rejected", "agreed", "in-progress", "completed"];
const charts = [];

/** A chart with its figures beside it as a table, so what it shows can be read without seeing it. */
function chartFigure(id, caption, headers, rows) {
  return el("figure", { class: "chart", id },
    el("figcaption", { text: caption }),
    el("div", { class: "chart-box" }, el("canvas", { role: "img", "aria-label": caption })),
    el("details", {}, el("summary", { text: "The figures" }),
      el("table", {}, el("thead", {}, el("tr", {}, headers.map((h) => el("th", { scope: "col", text: h })))),
        el("tbody", {}, rows.map((r) => el("tr", {}, r.map((c) => el("td", { text: c ?? "" }))))))));
}

function drawCharts(history) {
  for (const chart of charts.splice(0)) chart.destroy();
  const points = history.points;
  const figures = [];
  if (!points.length) {
    $("charts").replaceChildren(el("p", { class: "empty", text: "Nothing reported on this track for the dates asked." }));
    return;
  }
  const dates = points.map((p) => p.asOf);
  figures.push(chartFigure("chart-phase", "Phase at each date a development occurred", ["Date", "Phase"],
    points.map((p) => [p.asOf, p.alternative ? `${words(p.phase)} (disputed: ${words(p.alternative)})` : words(p.phase)])));
  // One line per agreement, category and receiving party with a number committed: carried out against the commitment.
  const series = new Map();
  for (const p of points) {
    for (const a of p.agreements) {
      if (a.committed == null) continue;
      const name = `${a.agreementKey}: ${words(a.category)} to ${a.toParty}`;
      if (!series.has(name)) series.set(name, { committed: a.committed, text: a.text, values: new Map() });
      // No completed stage reported is not zero done: the line starts at the first reported stage.
      series.get(name).values.set(p.asOf, a.carriedOutMin ?? null);
    }
  }
  const commitmentDates = dates.filter((d) => [...series.values()].some((s) => s.values.has(d)));
  if (series.size) {
    figures.push(chartFigure("chart-commitments", "Agreed against carried out, by agreement, category and receiving party",
      ["Date", "Agreement", "Carried out", "Agreed"],
      commitmentDates.flatMap((d) => [...series].filter(([, s]) => s.values.has(d)).map(([name, s]) => [d, name, s.values.get(d)?.toLocaleString("en") ?? "no completed stage reported", s.committed.toLocaleString("en")]))));
  }
  $("charts").replaceChildren(...figures);
  if (!window.Chart) return;
  const palette = ["#0b5cad", "#a15c00", "#1e7b34", "#8a1c7c", "#b00020", "#3d3d3d"];
  const common = { responsive: true, maintainAspectRatio: false, animation: false };
  charts.push(new window.Chart(document.querySelector("#chart-phase canvas"), {
    type: "line",
    data: { labels: dates, datasets: [{ label: "Phase", data: points.map((p) => phaseOrder.indexOf(p.phase)), stepped: true, borderColor: palette[0], backgroundColor: palette[0] }] },
    options: { ...common, plugins: { legend: { display: false }, tooltip: { callbacks: { label: (c) => words(phaseOrder[c.parsed.y]) } } },
      scales: { y: { min: 0, max: phaseOrder.length - 1, ticks: { stepSize: 1, callback: (v) => words(phaseOrder[v]) } } } },
  }));
  if (series.size) {
    const datasets = [...series].flatMap(([name, s], i) => [
      { label: `${name}, carried out`, data: commitmentDates.map((d) => s.values.get(d) ?? null), stepped: true, borderColor: palette[i % palette.length], backgroundColor: palette[i % palette.length] },
      { label: `${name}, agreed`, data: commitmentDates.map((d) => (s.values.has(d) ? s.committed : null)), borderDash: [6, 4], pointRadius: 2, pointStyle: "line", borderColor: palette[i % palette.length], backgroundColor: palette[i % palette.length] },
    ]);
    charts.push(new window.Chart(document.querySelector("#chart-commitments canvas"), {
      type: "line",
      data: { labels: commitmentDates, datasets },
      options: { ...common, plugins: { legend: { position: "bottom" } }, scales: { y: { beginAtZero: true } } },
    }));
  }
}

async function loadTrack() {
  const id = encodeURIComponent(state.negotiation);
  const track = encodeURIComponent(state.track);
  const [status, history, timeline] = await Promise.all([
    api(`/api/negotiations/${id}/tracks/${track}/status${axesQuery()}`),
    api(`/api/negotiations/${id}/tracks/${track}/history${axesQuery()}`),
    api(`/api/negotiations/${id}/timeline${axesQuery()}${axesQuery() ? "&" : "?"}track=${track}`),
  ]);
  const report = status.tracks[0];
  document.title = `${report.track.title} — ${status.negotiation.title} — Ledger`;
  $("negotiation-title").textContent = status.negotiation.title;
  $("back").href = `/?${new URLSearchParams({ negotiation: state.negotiation, ...(state.asOf ? { asOf: state.asOf } : {}), ...(state.knownOn ? { knownOn: state.knownOn } : {}) })}`;
  $("axes").textContent = axesText();
  $("track-description").textContent = report.track.description ?? "";
  $("tracks").replaceChildren(trackCard(report, { linkTitle: false, heading: "h2" }));
  $("timeline").replaceChildren(...timelineItems(timeline));
  drawCharts(history);
  document.body.dataset.loaded = String(Date.now());
  await followFragment();
}

/** `#field=<path>` marks a field of the track (the paths of `ledger audit --field`); `#claim=<id>` a claim, with its evidence opened. */
async function followFragment() {
  for (const old of document.querySelectorAll(".target")) old.classList.remove("target");
  const fragment = new URLSearchParams(location.hash.slice(1));
  const field = fragment.get("field");
  const claim = fragment.get("claim");
  if (field) {
    const target = document.getElementById(`field-${state.track}-${field}`);
    if (!target) {
      announce(`No field ${field} on this track for the dates asked.`);
      $("fragment-note").textContent = `No field “${field}” on this track for the dates asked.`;
      return;
    }
    target.classList.add("target");
    target.setAttribute("tabindex", "-1");
    target.scrollIntoView({ block: "center" });
    target.focus();
  } else if (claim) {
    const rows = [...document.querySelectorAll("[data-claims]")].filter((b) => b.dataset.claims.split(" ").includes(claim));
    for (const b of rows) (b.closest("li, p") ?? b).classList.add("target");
    if (!rows.length) $("fragment-note").textContent = `No claim “${claim}” on this track for the dates asked.`;
    rows[0]?.scrollIntoView({ block: "center" });
    await showEvidence("The claim linked to", [claim]);
  }
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

/** A date typed as YYYY-MM-DD, whatever the browser's locale: "" when empty, null when not a real date. */
function isoDate(text) {
  const value = text.trim();
  if (!value) return "";
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return null;
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value ? value : null;
}

function syncUrl() {
  const params = new URLSearchParams();
  if (state.page !== "track" && state.negotiation) params.set("negotiation", state.negotiation);
  if (state.asOf) params.set("asOf", state.asOf);
  if (state.knownOn) params.set("knownOn", state.knownOn);
  const query = params.toString();
  history.replaceState(null, "", `${location.pathname}${query ? `?${query}` : ""}${location.hash}`);
}

function dateField(inputId, key) {
  const input = $(inputId);
  const error = $(`${inputId}-error`);
  const apply = () => {
    const value = isoDate(input.value);
    if (value === null) {
      input.setAttribute("aria-invalid", "true");
      error.textContent = `“${input.value}” is not a date: write it as YYYY-MM-DD, e.g. 2025-07-24.`;
      return;
    }
    input.removeAttribute("aria-invalid");
    error.textContent = "";
    input.value = value;
    if (state[key] === value) return;
    state[key] = value;
    syncUrl();
    load().catch(showError);
  };
  input.addEventListener("change", apply);
  input.addEventListener("keydown", (e) => { if (e.key === "Enter") { e.preventDefault(); apply(); } });
}

async function start() {
  const params = new URLSearchParams(location.search);
  state.page = document.body.dataset.page ?? "negotiation";
  state.asOf = isoDate(params.get("asOf") ?? "") ?? "";
  state.knownOn = isoDate(params.get("knownOn") ?? "") ?? "";
  $("as-of").value = state.asOf;
  $("known-on").value = state.knownOn;
  dateField("as-of", "asOf");
  dateField("known-on", "knownOn");
  $("reset").addEventListener("click", () => {
    state.asOf = state.knownOn = "";
    $("as-of").value = $("known-on").value = "";
    for (const id of ["as-of", "known-on"]) { $(id).removeAttribute("aria-invalid"); $(`${id}-error`).textContent = ""; }
    syncUrl();
    load().catch(showError);
  });
  $("close-detail").addEventListener("click", () => { $("detail").hidden = true; $("tracks").focus(); });
  document.addEventListener("keydown", (e) => { if (e.key === "Escape" && !$("detail").hidden) { $("detail").hidden = true; $("tracks").focus(); } });
  try {
    if (state.page === "track") {
      const [, negotiation, track] = location.pathname.split("/").filter(Boolean).map(decodeURIComponent);
      state.negotiation = negotiation;
      state.track = track;
      window.addEventListener("hashchange", () => { $("fragment-note").textContent = ""; followFragment(); });
    } else {
      $("negotiation").addEventListener("change", (e) => { state.negotiation = e.target.value; syncUrl(); load().catch(showError); connect(); });
      await loadNegotiations();
    }
    syncUrl();
    await load();
    connect();
  } catch (error) {
    showError(error);
  }
}

start();
