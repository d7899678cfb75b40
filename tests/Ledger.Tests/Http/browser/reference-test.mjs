// The API reference at /docs in a real headless Chromium: every request it makes goes to the server itself, the
// security scheme reads "Bearer <key>", the capabilities are the groups, and no vendor buttons are shown.
// Run by ApiReferenceTests.cs; prints one JSON line.
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
  const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  page.setDefaultTimeout(20000);
  page.on("request", (r) => requests.push(r.url()));
  await page.goto(`${base}/docs`, { waitUntil: "networkidle" });
  await page.getByText("Ledger API").first().waitFor();
  steps.push("loaded");

  const text = await page.locator("body").innerText();
  for (const capability of ["Tracks", "Timeline", "Changes", "Audit", "Sources", "Recording", "Webhooks"]) {
    if (!text.includes(capability)) throw new Error(`the reference does not show the group ${capability}`);
  }
  if (/Ledger\.[A-Z]\w+\.\w+Endpoints?/.test(text)) throw new Error("a group is named after a C# class");
  steps.push("groups by capability");

  await page.getByText("List the negotiations").first().waitFor();
  steps.push("operations by summary");

  const html = await page.content();
  if (!text.includes("Bearer <key>") && !html.includes("Bearer &lt;key&gt;")) throw new Error("the authentication text lost its <key>");
  steps.push("Bearer <key> shown");

  for (const vendor of ["Deploy", "Ask AI", "Generate SDK", "Developer Tools"]) {
    const shown = await page.getByRole("button", { name: vendor, exact: false }).count();
    if (shown > 0) throw new Error(`a "${vendor}" button is shown`);
  }
  steps.push("no vendor buttons");

  if (screenshot) await page.screenshot({ path: screenshot });
  const foreign = requests.filter((url) => !url.startsWith(origin + "/") && !url.startsWith("data:") && !url.startsWith("blob:"));
  if (foreign.length > 0) throw new Error(`requests to other hosts: ${foreign.join(", ")}`);
  steps.push(`${requests.length} requests, all to ${origin}`);
  console.log(JSON.stringify({ ok: true, steps }));
} catch (e) {
  console.log(JSON.stringify({ ok: false, steps, error: String(e), requests }));
  process.exitCode = 1;
} finally {
  await browser.close();
}
