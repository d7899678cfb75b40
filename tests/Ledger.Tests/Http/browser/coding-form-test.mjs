// The coding page in a real headless Chromium, on articles of the corpus: a DOM selection over a sentence prefills
// the form (kind, track, actor, party, counts, date), the key is asked for once per tab and again after a refusal,
// the submission appends a claim with the exact quote and offsets (checked through the API), the live stream marks
// it, and a bad field is shown next to its field. Leaves a screenshot. Run by CodingFormTests.cs; prints one JSON line.
import { run, step, watch } from "./common.mjs";

const [base, screenshot] = process.argv.slice(2);
const { LEDGER_TEST_KEY: key } = process.env;
const negotiation = "ru-ua-istanbul-2025";
const expect = (what, actual, expected) => {
  if (JSON.stringify(actual) !== JSON.stringify(expected)) throw new Error(`${what}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`);
};

async function json(path) {
  const response = await fetch(`${base}${path}`);
  if (!response.ok) throw new Error(`${path} answered ${response.status}`);
  return response.json();
}

/** Selects characters [start, end) of the stored text in the page, as a user's drag would, and lets go of the mouse. */
async function select(page, start, end) {
  await page.evaluate(([start, end]) => {
    const box = document.getElementById("text");
    const walker = document.createTreeWalker(box, NodeFilter.SHOW_TEXT);
    const range = document.createRange();
    let seen = 0;
    let started = false;
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const length = node.data.length;
      if (!started && start < seen + length) {
        range.setStart(node, start - seen);
        started = true;
      }
      if (started && end <= seen + length) {
        range.setEnd(node, end - seen);
        break;
      }
      seen += length;
    }
    const selection = document.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
    box.dispatchEvent(new MouseEvent("mouseup", { bubbles: true }));
  }, [start, end]);
  await page.locator("#coding").waitFor({ state: "visible" });
}

const form = (page) => page.evaluate(() => ({
  kind: document.getElementById("kind").value,
  track: document.getElementById("track").value,
  saidBy: document.getElementById("said-by").value,
  party: document.getElementById("party").value,
  category: document.getElementById("category").value,
  occurred: document.getElementById("occurred").value,
  counts: [...document.querySelectorAll("#counts li")].map((li) => [li.querySelector(".count-value").value, li.querySelector(".count-to").value]),
  quote: document.getElementById("quote").textContent,
  start: Number(document.getElementById("quote").dataset.start),
  end: Number(document.getElementById("quote").dataset.end),
}));

await run(async (browser) => {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const { errors } = watch(page);
  page.setDefaultTimeout(15000);
  // Counts how often the page asks for the key.
  await page.addInitScript(() => {
    window.keyPrompts = 0;
    const showModal = HTMLDialogElement.prototype.showModal;
    HTMLDialogElement.prototype.showModal = function () {
      if (this.id === "key-dialog") window.keyPrompts++;
      return showModal.call(this);
    };
  });

  // An actor by a registered name, the party from "Russian", a meeting from "talks", and "on Wednesday" resolved
  // against publication on Thursday 24 July 2025.
  const talks = await json("/api/sources/unknown-2025-07-24");
  const talksSentence = "Vladimir Medinsky, an aide to the Russian President, and Rustem Umerov , Secretary of the National Security and Defence Council of Ukraine, held talks with each other on Wednesday evening";
  const talksAt = talks.text.indexOf(talksSentence);
  if (talksAt < 0) throw new Error("the sentence about Wednesday's talks is not in unknown-2025-07-24");
  await page.goto(`${base}/sources/${negotiation}/unknown-2025-07-24`);
  await page.locator("#text mark.coded").first().waitFor();
  await select(page, talksAt, talksAt + talksSentence.length);
  const talksForm = await form(page);
  expect("kind of the talks", talksForm.kind, "meeting-held");
  expect("actor of the talks", talksForm.saidBy, "Vladimir Medinsky");
  expect("track of the talks", talksForm.track, "rounds");
  expect("party of the talks", talksForm.party, "russia");
  expect("date of the talks", talksForm.occurred, "2025-07-23");
  step("talks on Wednesday: meeting-held, rounds, Vladimir Medinsky (russia), 2025-07-23");

  // The corpus article, with the 6 May exchange left out of the ledger to be coded here.
  const sourceId = "kyiv-independent-2025-05-16";
  const article = await json(`/api/sources/${sourceId}`);
  const sentence = "The latest exchange took place on May 6, when Ukraine secured the return of 205 soldiers in a one-for-one prisoner exchange.";
  const start = article.text.indexOf(sentence);
  const end = start + sentence.length;
  if (start < 0 || article.text.indexOf(sentence, start + 1) >= 0) throw new Error("the sentence does not occur once in the article");
  if (article.source.citations.some((c) => c.start < end && start < c.end)) throw new Error("the sentence is coded already");
  await page.goto(`${base}/sources/${negotiation}/${sourceId}`);
  await page.locator("#text mark.coded").first().waitFor();
  const marked = await page.locator("#text mark.coded").count();
  if (marked < 5) throw new Error(`only ${marked} coded passages are marked`);
  expect("the text shown is the stored text", await page.locator("#text").evaluate((e) => e.textContent), article.text);
  await page.waitForFunction(() => document.getElementById("live")?.classList.contains("on"));
  step(`article shown as stored, ${marked} coded passages marked, live`);

  await select(page, start, end);
  const prefilled = await form(page);
  expect("quote", prefilled.quote, sentence);
  expect("offsets", [prefilled.start, prefilled.end], [start, end]);
  expect("kind", prefilled.kind, "exchange-completed");
  expect("track", prefilled.track, "prisoner-exchanges");
  expect("party", prefilled.party, "ukraine");
  expect("actor", prefilled.saidBy, "");
  expect("category", prefilled.category, "prisoners-of-war");
  expect("counts", prefilled.counts, [["205", "ukraine"]]);
  expect("date", prefilled.occurred, "2025-05-06");
  step(`prefilled: exchange-completed, prisoner-exchanges, ukraine, 205 to ukraine, 2025-05-06, characters ${start}-${end}`);

  await page.getByLabel("Summary").fill("One-for-one prisoner exchange of 6 May; Ukraine secures the return of 205 soldiers");
  await page.getByRole("button", { name: "Record" }).click();
  const dialog = page.locator("#key-dialog");
  await dialog.waitFor({ state: "visible" });
  await page.locator("#api-key").fill("not-a-writers-key");
  await page.getByRole("button", { name: "Use this key" }).click();
  await page.locator("#key-reason", { hasText: "refused the key (403)" }).waitFor();
  expect("stored after the refusal", await page.evaluate(() => sessionStorage.getItem("ledger-api-key")), null);
  await page.locator("#api-key").fill(key);
  await page.getByRole("button", { name: "Use this key" }).click();
  await dialog.waitFor({ state: "hidden" });
  step("key asked for, refused with 403, dropped and asked for again");

  const newMark = page.locator("#text mark.coded.new");
  await newMark.first().waitFor();
  await page.locator("#result", { hasText: "marked in the text" }).waitFor();
  const claimIds = await newMark.first().getAttribute("data-claims");
  expect("the new mark's text", (await newMark.allTextContents()).join(""), sentence);
  const after = await json(`/api/sources/${sourceId}`);
  const citation = after.source.citations.find((c) => claimIds.split(" ").includes(c.claimId));
  if (!citation) throw new Error(`no citation of claim ${claimIds} in the source`);
  expect("recorded offsets", [citation.start, citation.end, citation.trackId, citation.kind], [start, end, "prisoner-exchanges", "exchange-completed"]);
  const audit = await json(`/api/events/${citation.claimId}`);
  const recorded = JSON.stringify(audit);
  if (!recorded.includes(JSON.stringify(sentence))) throw new Error("the recorded claim does not hold the exact quote");
  step(`appended claim ${citation.claimId} at ${citation.start}-${citation.end} with the exact quote; marked via the stream`);

  expect("key kept for the tab", await page.evaluate(() => sessionStorage.getItem("ledger-api-key")), key);
  expect("nothing in local storage or cookies", await page.evaluate(() => [localStorage.length, document.cookie]), [0, ""]);

  await page.screenshot({ path: screenshot, fullPage: true });
  step("screenshot");

  // A second passage, with a date the API cannot read: the problem names the field, shown next to it; no new prompt.
  const second = "Ukraine floated the idea of an all-for-all prisoner exchange back in 2024";
  const secondAt = article.text.indexOf(second);
  await select(page, secondAt, secondAt + second.length);
  await page.getByLabel(/^Occurred/).fill("sometime in 2024");
  await page.getByRole("button", { name: "Record" }).click();
  const dateError = page.locator("#occurred-error");
  await dateError.waitFor({ state: "visible" });
  const message = await dateError.textContent();
  if (!message.includes("occurred")) throw new Error(`the date's error says "${message}"`);
  expect("the date field is marked invalid", await page.locator("#occurred").getAttribute("aria-invalid"), "true");
  expect("key prompts in the tab", await page.evaluate(() => window.keyPrompts), 2);
  step(`bad date refused next to its field: "${message}"; the key was not asked for again`);

  await page.setViewportSize({ width: 380, height: 800 });
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  if (overflow > 1) throw new Error(`a 380px wide screen scrolls sideways by ${overflow}px`);
  step("narrow screen: no sideways scrolling");

  if (errors.length) throw new Error(`page errors: ${errors.join("; ")}`);
});
