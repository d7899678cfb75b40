// The diff view in a real headless Chromium: reached from the main page, it compares two dates on the Istanbul
// corpus, lists the second round's agreement with its source, and says clearly when from is after to.
// Run by DiffTests.cs; prints one JSON line.
import { elsewhere, run, step, watch } from "./common.mjs";

const [base, screenshot] = process.argv.slice(2);
const origin = new URL(base).origin;

await run(async (browser) => {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const { errors, requests } = watch(page);
  page.setDefaultTimeout(15000);

  await page.goto(`${base}/?negotiation=ru-ua-istanbul-2025`);
  await page.locator("#diff-link").click();
  await page.waitForURL(/\/diff/);
  step("reached from the main page");

  await page.locator("#negotiation option[value=ru-ua-istanbul-2025]").waitFor({ state: "attached" });
  await page.selectOption("#negotiation", "ru-ua-istanbul-2025");
  await page.locator("#from").fill("2025-06-01");
  await page.locator("#to").fill("2025-06-03");
  await page.getByRole("button", { name: "Compare" }).click();
  const agreement = page.locator('[data-track="prisoner-exchanges"] .change[data-key="round-2-pow-exchange-agreement"]');
  await agreement.waitFor();
  const text = await agreement.innerText();
  if (!text.includes("agreement added") || !text.includes("unn-2025-07-23")) throw new Error(`the agreement reads "${text}"`);
  if (!new URL(page.url()).search.includes("from=2025-06-01")) throw new Error(`the address does not keep the dates: ${page.url()}`);
  step("the second round's agreement, with its source");

  if (screenshot) await page.screenshot({ path: screenshot, fullPage: false });
  step("screenshot");

  await page.locator("#from").fill("2025-06-05");
  await page.getByRole("button", { name: "Compare" }).click();
  await page.locator("#diff-error:not([hidden])").waitFor();
  const error = await page.locator("#diff-error").innerText();
  if (!error.includes("from") || !error.includes("after")) throw new Error(`the error reads "${error}"`);
  step(`from after to: "${error}"`);

  const foreign = elsewhere(requests, origin);
  if (foreign.length > 0) throw new Error(`requests to other hosts: ${foreign.join(", ")}`);
  if (errors.length > 0) throw new Error(`page errors: ${errors.join("; ")}`);
});
