// The web page in a real headless Chromium: load, change the as-of date and see a track change, open an audit
// down to the highlighted quote (from the keyboard), receive a development appended during the test, and check
// that a narrow screen needs no sideways scrolling. Leaves a screenshot. Run by PageTests.cs; prints one JSON line.
import { run, step, watch } from "./common.mjs";

const [base, screenshot] = process.argv.slice(2);
const { LEDGER_TEST_KEY: key, LEDGER_TEST_APPEND: appendBody } = process.env;

await run(async (browser) => {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const { errors } = watch(page);
  page.setDefaultTimeout(15000);

  await page.goto(`${base}/?negotiation=harbour-talks`);
  const phase = page.locator('[data-track="prisoners"] .phase');
  await phase.waitFor();
  await page.waitForFunction(() => document.querySelector('[data-track="prisoners"] .phase')?.dataset.phase === "completed");
  step("loaded: prisoners completed");

  await page.getByLabel("As of").fill("2025-03-05");
  await page.getByLabel("As of").press("Enter");
  await page.waitForFunction(() => document.querySelector('[data-track="prisoners"] .phase')?.dataset.phase === "proposed");
  step("as of 2025-03-05: prisoners proposed");

  const proposal = page.locator('article[data-track="prisoners"] button.fact', { hasText: "Exchange 100 prisoners each" });
  await proposal.focus();
  await page.keyboard.press("Enter");
  await page.locator("#detail .claim").first().waitFor();
  await page.locator("#detail .open-source").first().focus();
  await page.keyboard.press("Enter");
  const mark = page.locator("#quote-mark");
  await mark.waitFor();
  const marked = await mark.textContent();
  if (marked !== "North proposed to exchange 100 prisoners with South") throw new Error(`highlighted "${marked}"`);
  step(`audit opened the source with "${marked}" highlighted`);

  await page.locator("#reset").click();
  await page.waitForFunction(() => document.querySelector('[data-track="prisoners"] .phase')?.dataset.phase === "completed");
  await page.waitForFunction(() => document.querySelector("#live")?.classList.contains("on"));
  const response = await fetch(`${base}/api/developments`, {
    method: "POST",
    headers: { "Content-Type": "application/json", Authorization: `Bearer ${key}` },
    body: appendBody,
  });
  if (response.status !== 201) throw new Error(`append answered ${response.status}: ${await response.text()}`);
  await page.locator("#timeline li.new", { hasText: "South said the ceasefire was not on the table" }).waitFor();
  await page.locator('article[data-track="ceasefire"] button.fact', { hasText: "South said the ceasefire was not on the table" }).waitFor();
  step("a development appended during the test appeared live");

  await page.screenshot({ path: screenshot, fullPage: true });
  step("screenshot");

  await page.setViewportSize({ width: 380, height: 800 });
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  if (overflow > 1) throw new Error(`a 380px wide screen scrolls sideways by ${overflow}px`);
  step("narrow screen: no sideways scrolling");

  if (errors.length) throw new Error(`page errors: ${errors.join("; ")}`);
});
