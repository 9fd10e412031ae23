import { chromium } from "playwright-core";
const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--no-sandbox","--disable-gpu","--disable-quic","--no-first-run","--disable-background-networking","--disable-component-update","--disable-sync"] });
const only = process.argv.slice(2);
const pages = [["home", "/"], ["directory", "/directory?q=nguyen"], ["tree", "/tree?as_of=2020-01-15"], ["unit", "/directory?q=long+phu&kind=area&as_of=2020-01-15"], ["import", "/import"], ["notfound", "/nope"]].filter(([n]) => !only.length || only.includes(n));
for (const [w, h] of [[360, 740], [1280, 800]]) {
  const page = await browser.newPage({ viewport: { width: w, height: h }, locale: "vi-VN" });
  for (const [name, path] of pages) {
    await page.goto("http://127.0.0.1:3000" + path);
    if (name === "unit") { await page.getByRole("link", { name: "Thị xã Long Phú", exact: true }).click(); await page.waitForURL(/units/); await page.waitForTimeout(800); }
    if (name === "tree") { await page.waitForTimeout(1500); await page.locator("summary").filter({ hasText: "Long Phú" }).click(); await page.waitForTimeout(1000); }
    await page.screenshot({ path: `/tmp/shots/${name}-${w}.png`, fullPage: false });
  }
  await page.close();
}
await browser.close();
