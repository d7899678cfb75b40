// The web page over the repository's own Istanbul negotiation in a real headless Chromium: every field of every
// track's status is on the page with its sources; the address keeps the negotiation and dates; dates are typed
// as YYYY-MM-DD whatever the locale; a track's own page answers deep links to a field and to a claim and draws
// its history; axe-core finds no serious or critical violation; nothing is fetched from another host.
// Run by TrackPageTests.cs; prints one JSON line; leaves screenshots in the folder it is given.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";
import { elsewhere, run, step, watch } from "./common.mjs";

const [base, shots] = process.argv.slice(2);
const negotiation = "ru-ua-istanbul-2025";
const asOf = "2025-07-24";
const axeSource = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");
const fail = (message) => { throw new Error(message); };

/** The field paths of a status, as `ledger audit --field` names them: each must have a row on the page. */
function fieldPaths(s) {
  return [
    "phase",
    ...s.positions.map((p) => `positions.${p.party}.${p.topic}`),
    ...s.proposals.map((p) => `proposals.${p.developmentKey}`),
    ...s.agreements.map((a) => `agreements.${a.developmentKey}`),
    ...s.exchanges.map((x) => `exchanges.${x.developmentKey}${s.exchanges.filter((y) => y.developmentKey === x.developmentKey).length > 1 ? `.${x.kind}` : ""}`),
    ...s.totals.map((t) => `totals.${t.category}.to-${t.toParty}`),
    ...(s.commitments ?? []).flatMap((c) => [
      ...c.fulfilment.map((f) => `commitments.${c.agreementKey}.${f.category}.to-${f.toParty}`),
      ...c.reportedTotals.map((t) => `commitments.${c.agreementKey}.reported-totals.${t.developmentKey}`),
    ]),
    ...(s.meetings ?? []).map((m) => `meetings.${m.developmentKey}`),
    ...s.other.map((o) => `developments.${o.developmentKey}`),
    ...s.disputes.map((d) => `disputes.${d.developmentKey}.${d.fact}`),
    ...(s.lastChange ? ["last-change"] : []),
  ];
}

async function axe(page, name) {
  await page.addScriptTag({ content: axeSource });
  const result = await page.evaluate(async () => {
    const r = await window.axe.run(document, { resultTypes: ["violations"] });
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.length, target: v.nodes[0]?.target?.join(" ") }));
  });
  const serious = result.filter((v) => v.impact === "serious" || v.impact === "critical");
  if (serious.length) fail(`axe on ${name}: ${JSON.stringify(serious)}`);
  step(`axe on ${name}: no serious or critical violation (${result.length} minor)`);
}

await run(async (browser) => {
  // A browser in the United States, whose date inputs would read mm/dd/yyyy.
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: "en-US" });
  const page = await context.newPage();
  const { errors, requests, missing } = watch(page);
  page.setDefaultTimeout(20000);

  // The address holds the view: a negotiation other than the first, and a date.
  await page.goto(`${base}/?negotiation=${negotiation}&asOf=${asOf}`);
  await page.locator('[data-track="prisoner-exchanges"] .phase').waitFor();
  if (await page.locator("#negotiation").inputValue() !== negotiation) fail("the negotiation in the address was not selected");
  await page.reload();
  await page.locator('[data-track="prisoner-exchanges"] .phase').waitFor();
  if (await page.locator("#negotiation").inputValue() !== negotiation || await page.locator("#as-of").inputValue() !== asOf) fail("a reload lost the negotiation or the date");
  step("the address keeps the negotiation and the date across a reload");

  // Every field of every track's status has its row, and every row names its sources.
  const status = await (await fetch(`${base}/api/negotiations/${negotiation}/status?asOf=${asOf}`)).json();
  let fields = 0;
  for (const report of status.tracks) {
    const expected = fieldPaths(report.status);
    const shown = await page.locator(`article[data-track="${report.track.id}"] [data-field]`).evaluateAll((rows) => rows.map((r) => r.dataset.field));
    for (const path of new Set(expected)) {
      fields++;
      const want = expected.filter((p) => p === path).length;
      const have = shown.filter((p) => p === path).length;
      if (have < want) fail(`${report.track.id}: the status field ${path} is on the page ${have} times of ${want}`);
    }
  }
  const unsourced = await page.evaluate(() => [...document.querySelectorAll("#tracks li[data-field]")]
    .filter((li) => !li.querySelector(":scope > .sources, :scope > .versions") && !li.classList.contains("dispute") && !li.classList.contains("empty"))
    .map((li) => li.id));
  if (unsourced.length) fail(`rows without their sources: ${unsourced.slice(0, 5).join(", ")}`);
  step(`all ${fields} status fields of ${status.tracks.length} tracks are on the page, each with its sources`);

  const prisoners = page.locator('article[data-track="prisoner-exchanges"]');
  for (const text of ["Around 250 persons from each side exchanged", "An exchange of 250 prisoners from each side is being completed", "about 1,335", "Carried out: 880 of 1,000"]) {
    if (await prisoners.getByText(text, { exact: false }).count() === 0) fail(`the prisoner-exchange card does not show "${text}"`);
  }
  if ((await prisoners.innerText()).includes("()")) fail("the prisoner-exchange card shows empty brackets where a report gives no figure");
  const delegations = page.locator('article[data-track="delegations"]');
  const delegationRows = await delegations.locator('li[data-field^="developments."]').count();
  if (delegationRows < 8) fail(`the delegations card lists ${delegationRows} developments`);
  if (await delegations.getByRole("heading", { name: "Totals exchanged" }).count() !== 0) fail("a track that never had exchanges shows a totals block");
  step(`the prisoner-exchange card shows its exchanges and totals; delegations lists ${delegationRows} developments and no totals`);

  // Two agreements coded from one source's sentence: each row says which agreement and when.
  const twins = await page.locator('article[data-track="prisoner-exchanges"] li.agreement', { hasText: "The largest exchanges of prisoners of war" }).evaluateAll((rows) => rows.map((r) => r.firstChild && r.innerText.split("\n")[0]));
  if (twins.length !== 2 || twins[0] === twins[1]) fail(`agreements with the same text are not told apart: ${JSON.stringify(twins)}`);
  if (!twins.some((t) => t.includes("round-1-pow-exchange-1000") && t.includes("2025-05-16"))) fail(`the first agreement's key and date are not shown: ${JSON.stringify(twins)}`);
  step("two agreements with one text show their own keys and dates");

  // Dates keep the precision reported.
  const text = await page.locator("#tracks").innerText();
  for (const reported of ["before 2025-07-23", "2025-06, agreement reached"]) {
    if (!text.includes(reported) && !(await page.locator("#timeline").innerText()).includes(reported.split(",")[0])) fail(`"${reported}" is not shown as reported`);
  }
  if (text.includes("2025-06-01")) fail("a month-only date is shown as a day");
  step("dates show the precision reported");

  // Dates are typed as YYYY-MM-DD: a US-style date is refused with a message and nothing reloads.
  if (await page.locator("#as-of").getAttribute("type") !== "text") fail("the as-of field is a locale-dependent date input");
  const loaded = await page.evaluate(() => document.body.dataset.loaded);
  await page.locator("#as-of").fill("07/24/2025");
  await page.locator("#as-of").press("Enter");
  await page.locator("#as-of-error", { hasText: "YYYY-MM-DD" }).waitFor();
  if (await page.locator("#as-of").getAttribute("aria-invalid") !== "true") fail("a bad date is not marked invalid");
  if (await page.evaluate(() => document.body.dataset.loaded) !== loaded || !page.url().includes(`asOf=${asOf}`)) fail("a bad date changed the view");
  await page.locator("#as-of").fill("2025-06-17");
  await page.locator("#as-of").press("Enter");
  await page.waitForFunction(() => new URL(location.href).searchParams.get("asOf") === "2025-06-17");
  await page.waitForFunction((l) => document.body.dataset.loaded !== l, loaded);
  if (await page.locator("#as-of-error").innerText() !== "") fail("the error stayed after a good date");
  await page.locator("#as-of").fill(asOf);
  await page.locator("#as-of").press("Enter");
  await page.waitForFunction((d) => new URL(location.href).searchParams.get("asOf") === d, asOf);
  step("a date typed 07/24/2025 is refused with a message; 2025-06-17 is taken and kept in the address");

  const favicon = await fetch(`${base}/favicon.ico`);
  if (favicon.status !== 200) fail(`/favicon.ico answered ${favicon.status}`);
  step("favicon served");

  // From the keyboard: on a freshly opened page the first Tab reaches the skip link, which leads to the tracks.
  await page.goto(page.url());
  await page.locator('[data-track="prisoner-exchanges"] .phase').waitFor();
  await page.keyboard.press("Tab");
  if (await page.evaluate(() => document.activeElement?.className) !== "skip") fail("the first Tab does not reach the skip link");
  step("keyboard: the first Tab reaches the skip link");
  await axe(page, "the main page");
  await page.evaluate(() => document.activeElement?.blur());
  await page.screenshot({ path: join(shots, "web-page.png"), fullPage: false });

  // A track's own page, opened at one field: the row is marked, focused and in view.
  const field = "commitments.round-2-bodies-agreement.bodies.to-ukraine";
  await page.goto(`${base}/tracks/${negotiation}/bodies?asOf=${asOf}#field=${field}`);
  const target = page.locator(`[id="field-bodies-${field}"]`);
  await target.waitFor();
  await page.waitForFunction((id) => document.getElementById(id)?.classList.contains("target") && document.activeElement?.id === id, `field-bodies-${field}`);
  if (!(await target.innerText()).includes("5,857 of 6,000")) fail(`the linked field says "${await target.innerText()}"`);
  const inView = await target.evaluate((e) => { const r = e.getBoundingClientRect(); return r.top >= 0 && r.bottom <= window.innerHeight; });
  if (!inView) fail("the linked field is not scrolled into view");
  step("a deep link to a field marks it, focuses it and scrolls to it");

  // Its charts: phases over time, and bodies returned against the 6,000 agreed.
  await page.locator("#chart-commitments canvas").waitFor();
  const drawn = await page.evaluate(() => [...document.querySelectorAll("#charts canvas")].map((c) => window.Chart?.getChart(c)?.data.datasets.length ?? 0));
  if (drawn.length !== 2 || drawn.some((n) => n === 0)) fail(`charts drawn: ${JSON.stringify(drawn)}`);
  const figures = await page.locator("#chart-commitments table").textContent();
  if (!figures.includes("5,857") || !figures.includes("6,000")) fail("the commitment chart's figures lack 5,857 against 6,000");
  if (!(await page.locator("#chart-phase table").textContent()).includes("completed")) fail("the phase chart's figures lack the completed phase");
  step("the track page draws its phases and bodies returned against the 6,000 agreed");
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: join(shots, "track-page.png"), fullPage: false });
  await page.locator("#charts").screenshot({ path: join(shots, "track-charts.png") });
  await axe(page, "a track page");

  // A deep link to one claim opens its evidence and marks the rows it stands behind.
  const bodies = await (await fetch(`${base}/api/negotiations/${negotiation}/tracks/bodies/status?asOf=${asOf}`)).json();
  const claim = bodies.tracks[0].status.agreements.find((a) => a.developmentKey === "round-2-bodies-agreement").evidence[0].claimId;
  await page.goto(`${base}/tracks/${negotiation}/bodies?asOf=${asOf}#claim=${claim}`);
  await page.locator(`#detail .claim[data-claim="${claim}"]`).waitFor();
  if (await page.locator(".target").count() === 0) fail("no row is marked for the linked claim");
  step("a deep link to a claim opens its evidence and marks its rows");

  // The track page keeps its dates in the address, and a link back to all tracks keeps them too.
  const back = await page.locator("#back").getAttribute("href");
  if (!back.includes(`negotiation=${negotiation}`) || !back.includes(`asOf=${asOf}`)) fail(`the link back is ${back}`);
  step("the track page links back to its negotiation on the same dates");

  const foreign = elsewhere(requests, new URL(base).origin);
  if (foreign.length) fail(`requests to other hosts: ${foreign.join(", ")}`);
  if (missing.length) fail(`404s: ${missing.join(", ")}`);
  if (errors.length) fail(`page errors: ${errors.join("; ")}`);
  step("nothing fetched from another host, nothing missing, no page errors");
}, { args: ["--lang=en-US"] });
