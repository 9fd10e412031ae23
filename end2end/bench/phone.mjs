// What a phone user waits for, measured from outside the app: for each page, on a cold cache
// and on a repeat visit, under a phone's network and CPU (1.6 Mbit/s down, 750 kbit/s up,
// 150 ms round trip, CPU 4× slower; the leader's dashboard at 1280×800 without the CPU
// slowdown), the bytes over the wire, the first contentful paint, and the time until the page
// responds: its main field takes a value and its main button is there to press. The value is
// typed at that moment; once the page has settled it must still be there, and the button is
// then pressed and must do its job. Prints a table and one JSON line.
//
// node phone.mjs <base URL> <site folder>
import { chromium } from "playwright-core";
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";

const [base, site] = process.argv.slice(2);
if (!base) {
  console.error("usage: node phone.mjs <base URL> [site folder]");
  process.exit(2);
}
const PASSWORD = "demo-antq-2025";
const PHONE = { width: 360, height: 740 };
const DESK = { width: 1280, height: 800 };
const NETWORK = { offline: false, latency: 150, downloadThroughput: 1.6e6 / 8, uploadThroughput: 750e3 / 8 };

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
});

/** A fresh browser context (empty cache) signed in as `login`, or anonymous. */
async function contextFor(login, viewport) {
  const context = await browser.newContext({ viewport, locale: "vi-VN", isMobile: viewport === PHONE, hasTouch: viewport === PHONE });
  if (login) {
    const r = await context.request.post(`${base}/api/accounts/sign-in`, { form: { login, password: PASSWORD } });
    if (!r.ok()) throw new Error(`${login} cannot sign in: ${r.status()}`);
  }
  return context;
}

/** The path of the school's first report still to be filled. */
async function openReport() {
  const context = await contextFor("truong", PHONE);
  const r = await context.request.post(`${base}/api/reports/mine`, { data: {} });
  const reports = await r.json();
  const open = reports.filter((x) => ["missing", "draft", "returned"].includes(x.status));
  await context.close();
  const report = open[0] ?? reports[0];
  return `/reports/${report.cycle}/units/${report.unit.id}`;
}

/** The first plan the school received. */
async function receivedPlan() {
  const context = await contextFor("truong", PHONE);
  const r = await context.request.post(`${base}/api/plans/list`, { data: { year: null, status: null } });
  const plans = r.ok() ? await r.json() : [];
  await context.close();
  const list = Array.isArray(plans) ? plans : plans.items ?? [];
  return list.length ? `/plans/${list[0].id}` : null;
}

/**
 * One visit: navigates, polls from outside until the main field and button are usable (the
 * "responds" time), types the marker, waits until the network is quiet, checks the marker is
 * still there, presses the button and waits for its effect.
 */
async function visit(page, cdp, target, marker) {
  let bytes = 0;
  const onFinished = (e) => (bytes += e.encodedDataLength);
  cdp.on("Network.loadingFinished", onFinished);
  const start = Date.now();
  const navigation = page.goto(base + target.path, { waitUntil: "commit" });
  await navigation;
  let responds = null;
  const field = target.field ? page.locator(target.field).first() : null;
  const button = page.locator(target.button).first();
  while (Date.now() - start < 60_000) {
    const ready =
      (!field || ((await field.isVisible().catch(() => false)) && (await field.isEditable().catch(() => false)))) &&
      (await button.isVisible().catch(() => false)) &&
      (await button.isEnabled().catch(() => false));
    if (ready) {
      responds = Date.now() - start;
      break;
    }
    await page.waitForTimeout(25);
  }
  if (responds !== null && field) await field.fill(marker);
  await page.waitForLoadState("networkidle", { timeout: 120_000 }).catch(() => {});
  const settled = Date.now() - start;
  const fcp = await page.evaluate(() => performance.getEntriesByName("first-contentful-paint")[0]?.startTime ?? null);
  const heap = (await cdp.send("Runtime.getHeapUsage").catch(() => ({ usedSize: null }))).usedSize;
  const kept = field ? (await field.inputValue().catch(() => "")) === marker : true;
  let works = false;
  if (responds !== null) {
    const before = page.url();
    await button.click();
    works = await target
      .done(page, before, marker)
      .then(() => true)
      .catch(() => false);
  }
  cdp.off("Network.loadingFinished", onFinished);
  return { responds, fcp: fcp === null ? null : Math.round(fcp), settled, bytes, heap, kept, works };
}

const reportPath = await openReport();
const planPath = await receivedPlan();
const navigates = (page, before) => page.waitForURL((u) => u.href !== before, { timeout: 30_000 });
const targets = [
  { name: "sign-in", login: null, path: "/sign-in", field: "#login", button: "form.stack-form button[type=submit]", markers: ["truong", "truong"],
    // Pressed with only the name: the browser asks for the password (the form requires it).
    done: async (page) => page.waitForFunction(() => document.activeElement?.id === "password", null, { timeout: 30_000 }) },
  { name: "home", login: "truong", path: "/", field: null, button: "nav.mainnav a[href='/reports']", done: navigates },
  { name: "reports list", login: "truong", path: "/reports", field: null, button: "main a[href^='/reports/']", done: navigates },
  { name: "report form", login: "truong", path: reportPath, field: "form.report-form input[type=text]", button: "form.report-form button[value=save]", markers: ["4", "5"],
    // Saved: the server has the value typed (read back through its API).
    done: async (page, _before, marker) => {
      const [, cycle, unit] = reportPath.match(/\/reports\/(\d+)\/units\/(\d+)/);
      for (let i = 0; i < 120; i++) {
        const r = await page.request.post(`${base}/api/reports/get`, { data: { cycle: Number(cycle), unit: Number(unit) } });
        const view = await r.json();
        if (Object.values(view.answers ?? {}).includes(marker)) return;
        await page.waitForTimeout(250);
      }
      throw new Error("not saved");
    } },
  ...(planPath ? [{ name: "plan as received", login: "truong", path: planPath, field: null, button: "nav.breadcrumb a, main a", done: navigates }] : []),
  { name: "dashboard (leader)", login: "lanhdao", path: "/dashboard", field: null, button: "nav.mainnav a[href='/reports']", done: navigates, desk: true },
];

const results = [];
for (const target of targets) {
  const viewport = target.desk ? DESK : PHONE;
  const context = await contextFor(target.login, viewport);
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send("Network.enable");
  await cdp.send("Network.emulateNetworkConditions", NETWORK);
  await cdp.send("Emulation.setCPUThrottlingRate", { rate: target.desk ? 1 : 4 });
  const [first, second] = target.markers ?? ["", ""];
  const cold = await visit(page, cdp, target, first);
  await page.goto("about:blank");
  const repeat = await visit(page, cdp, target, second);
  results.push({ page: target.name, path: target.path, cold, repeat });
  await context.close();
}
await browser.close();

const kb = (n) => (n / 1024).toFixed(0);
const s = (ms) => (ms === null ? "never" : (ms / 1000).toFixed(2));
console.log("page                 | cold: KB  FCP s  responds s  kept works | repeat: KB  FCP s  responds s  kept works");
for (const r of results) {
  const row = (v) => `${kb(v.bytes).padStart(5)} ${s(v.fcp).padStart(6)} ${s(v.responds).padStart(10)}  ${v.kept ? "yes " : "LOST"} ${v.works ? "yes  " : "NO   "}`;
  console.log(`${r.page.padEnd(20)} | ${row(r.cold)} | ${row(r.repeat)}`);
}

// The bundle as served: raw, gzip and brotli sizes of the wasm, its script and the stylesheet.
let bundle = null;
if (site) {
  const pkg = join(site, "pkg");
  bundle = {};
  for (const name of readdirSync(pkg)) {
    if (name.endsWith(".br") || name.endsWith(".gz")) continue;
    const size = (suffix) => {
      try {
        return readFileSync(join(pkg, name + suffix)).length;
      } catch {
        return null;
      }
    };
    bundle[name] = { raw: size(""), gzip: size(".gz"), brotli: size(".br") };
    console.log(`bundle ${name}: ${kb(size(""))} KB raw, ${kb(size(".gz") ?? 0)} KB gzip, ${kb(size(".br") ?? 0)} KB brotli`);
  }
}
for (const r of results) {
  console.log(`heap after load, ${r.page}: ${((r.cold.heap ?? 0) / 1048576).toFixed(1)} MB`);
}
console.log(JSON.stringify({ network: NETWORK, cpuSlowdown: 4, results, bundle }));
const failed = results.filter((r) => !r.cold.kept || !r.repeat.kept || !r.cold.works || !r.repeat.works || r.cold.responds === null);
console.log(`bench-phone: ${results.length - failed.length} pages measured in full, ${failed.length} with a fault`);
process.exit(failed.length ? 1 : 0);
