// The diff view in a real headless Chromium: reached from the main page, it compares two dates on the Istanbul
// corpus, lists the second round's agreement with its source, and says clearly when from is after to.
// Run by DiffTests.cs; prints one JSON line.
import { chromium } from "playwright-core";

const [base, screenshot] = process.argv.slice(2);
const { LEDGER_CHROMIUM: executablePath } = process.env;
const origin = new URL(base).origin;
const steps = [];
const requests = [];

const browser = await chromium.launch({
  executablePath,
  headless: true,
  args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-dev-shm-usage"],
});
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  const errors = [];
  page.on("pageerror", (e) => errors.push(String(e)));
  page.on("request", (r) => requests.push(r.url()));
  page.setDefaultTimeout(15000);

  await page.goto(`${base}/?negotiation=ru-ua-istanbul-2025`);
  await page.locator("#diff-link").click();
  await page.waitForURL(/\/diff/);
  steps.push("reached from the main page");

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
  steps.push("the second round's agreement, with its source");

  if (screenshot) await page.screenshot({ path: screenshot, fullPage: false });
  steps.push("screenshot");

  await page.locator("#from").fill("2025-06-05");
  await page.getByRole("button", { name: "Compare" }).click();
  await page.locator("#diff-error:not([hidden])").waitFor();
  const error = await page.locator("#diff-error").innerText();
  if (!error.includes("from") || !error.includes("after")) throw new Error(`the error reads "${error}"`);
  steps.push(`from after to: "${error}"`);

  const foreign = requests.filter((url) => !url.startsWith(origin + "/"));
  if (foreign.length > 0) throw new Error(`requests to other hosts: ${foreign.join(", ")}`);
  if (errors.length > 0) throw new Error(`page errors: ${errors.join("; ")}`);
  console.log(JSON.stringify({ ok: true, steps }));
} catch (e) {
  console.log(JSON.stringify({ ok: false, steps, error: String(e) }));
  process.exitCode = 1;
} finally {
  await browser.close();
}
