// What every browser script shares: Debian's Chromium (LEDGER_CHROMIUM) launched headless with nothing running in
// the background, a watch on a page's errors and requests, and the one JSON line the tests read.
import { chromium } from "playwright-core";

export const steps = [];
export const step = (name) => steps.push(name);

/** A page's uncaught errors, every address it requested, and those that answered 404. */
export function watch(page) {
  const seen = { errors: [], requests: [], missing: [] };
  page.on("pageerror", (e) => seen.errors.push(String(e)));
  page.on("request", (r) => seen.requests.push(r.url()));
  page.on("response", (r) => { if (r.status() === 404) seen.missing.push(r.url()); });
  return seen;
}

/** The requests that left the server under test: data: and blob: addresses are the page's own. */
export const elsewhere = (requests, origin) =>
  requests.filter((url) => !url.startsWith(origin + "/") && !url.startsWith("data:") && !url.startsWith("blob:"));

/**
 * Runs test(browser) in a fresh headless Chromium (with any extra command-line args) and prints
 * {"ok":true,"steps":[...]}, or "ok":false with the error (and whatever details() adds) and a failing exit code.
 * The browser is closed either way.
 */
export async function run(test, { args = [], details = () => ({}) } = {}) {
  const browser = await chromium.launch({
    executablePath: process.env.LEDGER_CHROMIUM,
    headless: true,
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-dev-shm-usage", ...args],
  });
  try {
    await test(browser);
    console.log(JSON.stringify({ ok: true, steps }));
  } catch (error) {
    console.log(JSON.stringify({ ok: false, steps, error: String(error?.message ?? error), ...details() }));
    process.exitCode = 1;
  } finally {
    await browser.close();
  }
}
