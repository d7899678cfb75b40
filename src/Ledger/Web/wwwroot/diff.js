// What changed between two dates: reads /api/negotiations/{id}/diff and lists each track's changes with their sources.
// The form's state lives in the address (?negotiation=&from=&to=&track=&knownOn=), so a comparison can be linked.
"use strict";

const $ = (id) => document.getElementById(id);
const el = (tag, { dataset = {}, ...props } = {}, ...children) => {
  const node = Object.assign(document.createElement(tag), props);
  Object.assign(node.dataset, dataset);
  for (const child of children) node.append(child ?? "");
  return node;
};
const words = (kebab) => kebab.replaceAll("-", " ");
const singular = (section) => (section.endsWith("s") ? section.slice(0, -1) : section);

async function getJson(url) {
  const response = await fetch(url, { headers: { Accept: "application/json" } });
  const body = await response.json().catch(() => null);
  if (!response.ok) {
    const field = body?.errors?.[0];
    throw new Error(field ? `${field.field}: ${field.message}` : body?.detail ?? `${response.status} ${response.statusText}`);
  }
  return body;
}

function describe(change) {
  if (change.kind === "dispute-opened") return "dispute opened";
  if (change.kind === "dispute-settled") return "dispute settled";
  return `${words(singular(change.section))} ${words(change.kind)}`;
}

function render(diff) {
  $("diff-range").textContent = `from ${diff.from} to ${diff.to}${diff.knownOn ? `, as known on ${diff.knownOn}` : ""}`;
  const target = $("diff");
  target.replaceChildren();
  if (diff.tracks.length === 0) {
    target.append(el("p", { className: "hint", id: "nothing" }, "Nothing changed between these dates."));
    return;
  }
  for (const track of diff.tracks) {
    const list = el("ol", { className: "changes" });
    for (const change of track.changes) {
      const sources = [...new Set(change.evidence.map((e) => e.sourceId))];
      list.append(el("li", { className: "change", dataset: { kind: change.kind, key: change.key } },
        el("div", {}, el("span", { className: "kind" }, describe(change)), el("div", { className: "key" }, change.key)),
        el("div", {},
          change.was ? el("div", { className: "was" }, change.was) : null,
          change.now ? el("div", { className: "what" }, change.now) : null,
          el("div", { className: "sources" }, `${sources.length === 1 ? "source" : "sources"}: ${sources.join(", ")}`))));
    }
    target.append(el("section", { className: "diff-track", dataset: { track: track.trackId } },
      el("h3", {}, track.trackId),
      track.phaseChanged ? el("p", { className: "diff-phase" }, `Phase: ${words(track.phaseBefore)} → ${words(track.phaseAfter)}`) : null,
      list));
  }
}

async function compare() {
  const negotiation = $("negotiation").value;
  const params = new URLSearchParams({ from: $("from").value, to: $("to").value });
  if ($("track").value) params.set("track", $("track").value);
  if ($("known-on").value) params.set("knownOn", $("known-on").value);
  history.replaceState(null, "", `/diff?${new URLSearchParams({ negotiation, ...Object.fromEntries(params) })}`);
  $("diff-error").hidden = true;
  try {
    render(await getJson(`/api/negotiations/${encodeURIComponent(negotiation)}/diff?${params}`));
  } catch (e) {
    $("diff").replaceChildren();
    $("diff-error").textContent = e.message;
    $("diff-error").hidden = false;
  }
}

async function fillTracks(negotiations) {
  const chosen = negotiations.find((n) => n.id === $("negotiation").value);
  $("track").replaceChildren(el("option", { value: "" }, "every track"), ...(chosen?.tracks ?? []).map((t) => el("option", { value: t.id }, t.title)));
}

async function start() {
  const query = new URLSearchParams(location.search);
  const negotiations = await getJson("/api/negotiations");
  $("negotiation").append(...negotiations.map((n) => el("option", { value: n.id }, n.title)));
  if (query.get("negotiation")) $("negotiation").value = query.get("negotiation");
  await fillTracks(negotiations);
  $("track").value = query.get("track") ?? "";
  $("from").value = query.get("from") ?? "";
  $("to").value = query.get("to") ?? "";
  $("known-on").value = query.get("knownOn") ?? "";
  $("negotiation").addEventListener("change", () => fillTracks(negotiations));
  $("diff-controls").addEventListener("submit", (event) => {
    event.preventDefault();
    compare();
  });
  if ($("from").value && $("to").value) await compare();
}

start().catch((e) => {
  $("diff-error").textContent = e.message;
  $("diff-error").hidden = false;
});
