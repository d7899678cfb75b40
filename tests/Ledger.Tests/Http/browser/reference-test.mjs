// The API reference at /docs in a real headless Chromium: every request it makes goes to the server itself, the
// security scheme reads "Bearer <key>", the capabilities are the groups, and no vendor buttons are shown.
// Run by ApiReferenceTests.cs; prints one JSON line.
import { elsewhere, run, step, watch } from "./common.mjs";

const [base, screenshot] = process.argv.slice(2);
const origin = new URL(base).origin;
let requests = [];

await run(async (browser) => {
  const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  page.setDefaultTimeout(20000);
  ({ requests } = watch(page));
  await page.goto(`${base}/docs`, { waitUntil: "networkidle" });
  await page.getByText("Ledger API").first().waitFor();
  step("loaded");

  const text = await page.locator("body").innerText();
  for (const capability of ["Tracks", "Timeline", "Changes", "Audit", "Sources", "Recording", "Webhooks"]) {
    if (!text.includes(capability)) throw new Error(`the reference does not show the group ${capability}`);
  }
  if (/Ledger\.[A-Z]\w+\.\w+Endpoints?/.test(text)) throw new Error("a group is named after a C# class");
  step("groups by capability");

  await page.getByText("List the negotiations").first().waitFor();
  step("operations by summary");

  const html = await page.content();
  if (!text.includes("Bearer <key>") && !html.includes("Bearer &lt;key&gt;")) throw new Error("the authentication text lost its <key>");
  step("Bearer <key> shown");

  for (const vendor of ["Deploy", "Ask AI", "Generate SDK", "Developer Tools"]) {
    const shown = await page.getByRole("button", { name: vendor, exact: false }).count();
    if (shown > 0) throw new Error(`a "${vendor}" button is shown`);
  }
  step("no vendor buttons");

  if (screenshot) await page.screenshot({ path: screenshot });
  const foreign = elsewhere(requests, origin);
  if (foreign.length > 0) throw new Error(`requests to other hosts: ${foreign.join(", ")}`);
  step(`${requests.length} requests, all to ${origin}`);
}, { details: () => ({ requests }) });
