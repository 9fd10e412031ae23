// Lighthouse (mobile preset: a mid-range phone on slow 4G) on pages of a running server,
// signed in by the cookie given with each page. Prints the performance and accessibility
// scores, where the main thread's time went, and every failed accessibility audit (Lighthouse
// runs axe-core for them), and exits non-zero when performance < 90, accessibility < 95 or
// any axe rule fails.
//
//   node run.mjs <label> <url> <cookie> [<label> <url> <cookie> …]
import lighthouse from "lighthouse";
import * as chromeLauncher from "chrome-launcher";

const args = process.argv.slice(2);
if (args.length === 0 || args.length % 3 !== 0) {
  console.error("usage: node run.mjs <label> <url> <cookie> [...]");
  process.exit(2);
}

const chrome = await chromeLauncher.launch({
  chromePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
  chromeFlags: [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
  ],
});

let failed = false;
try {
  for (let i = 0; i < args.length; i += 3) {
    const [label, url, cookie] = args.slice(i, i + 3);
    const result = await lighthouse(
      url,
      {
        port: chrome.port,
        output: "json",
        logLevel: "error",
        onlyCategories: ["performance", "accessibility"],
        extraHeaders: { Cookie: cookie },
      },
    );
    const lhr = result.lhr;
    if (lhr.runtimeError) {
      console.log(`${label}: Lighthouse could not load ${url}: ${lhr.runtimeError.message}`);
      failed = true;
      continue;
    }
    const performance = Math.round(lhr.categories.performance.score * 100);
    const accessibility = Math.round(lhr.categories.accessibility.score * 100);
    const violations = lhr.categories.accessibility.auditRefs
      .map((ref) => lhr.audits[ref.id])
      .filter((audit) => audit.scoreDisplayMode === "binary" && audit.score === 0);
    const metric = (id) => lhr.audits[id]?.displayValue ?? "?";
    console.log(
      `${label}: performance ${performance} (FCP ${metric("first-contentful-paint")}, LCP ${metric("largest-contentful-paint")}, TBT ${metric("total-blocking-time")}, CLS ${metric("cumulative-layout-shift")}), accessibility ${accessibility}, axe violations ${violations.length}`,
    );
    for (const v of violations) console.log(`  axe: ${v.id}: ${v.title}`);
    // How fast this machine ran Lighthouse's own CPU benchmark: the 4x slowdown assumes a
    // desktop (1,000-2,000); a slower machine makes every task look longer than on the
    // phone it stands for.
    const benchmark = lhr.environment?.benchmarkIndex;
    if (benchmark) console.log(`  machine: benchmark index ${Math.round(benchmark)}, CPU slowdown ${lhr.configSettings.throttling.cpuSlowdownMultiplier}x`);
    // Where the main thread's time went (what the blocking time is made of).
    const work = (lhr.audits["mainthread-work-breakdown"]?.details?.items ?? [])
      .map((item) => `${item.groupLabel} ${Math.round(item.duration)} ms`)
      .join(", ");
    if (work) console.log(`  main thread: ${work}`);
    const longest = (lhr.audits["long-tasks"]?.details?.items ?? [])
      .slice(0, 3)
      .map((task) => `${Math.round(task.duration)} ms (${task.url.split("/").pop() || task.url})`)
      .join(", ");
    if (longest) console.log(`  longest tasks: ${longest}`);
    // Which element the largest paint was, and which requests its estimate waited on.
    const lcpNode = lhr.audits["largest-contentful-paint-element"]?.details?.items?.[0]?.items?.[0]?.node;
    if (lcpNode) console.log(`  largest paint: ${lcpNode.selector} "${(lcpNode.nodeLabel ?? "").slice(0, 60)}"`);
    if (performance < 90 || accessibility < 95 || violations.length > 0) failed = true;
  }
} finally {
  await chrome.kill();
}
console.log(failed ? "lighthouse: BELOW TARGET (performance >= 90, accessibility >= 95, no axe violations)" : "lighthouse: all pages on target");
process.exit(failed ? 1 : 0);
