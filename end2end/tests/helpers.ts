import AxeBuilder from "@axe-core/playwright";
import { expect, type Browser, type Page } from "@playwright/test";

/** Fails on any axe-core violation and on sideways scrolling of the page. */
export async function checkPage(page: Page) {
  const results = await new AxeBuilder({ page }).analyze();
  const summary = results.violations.map(
    (v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(" ")).join(", ")})`,
  );
  expect(summary, "axe-core violations").toEqual([]);
  const overflow = await page.evaluate(
    () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
  );
  expect(overflow, "the page scrolls sideways").toBeLessThanOrEqual(0);
}

/** Waits until the page is interactive (the wasm bundle has hydrated it). */
export async function hydrated(page: Page) {
  await page.waitForFunction(() => document.body.dataset.hydrated === "true");
}

export const DEMO_PASSWORD = "demo-antq-2025";

/** Signs in through the sign-in page and waits for the home page. */
export async function signIn(page: Page, username: string) {
  await page.goto("/sign-in");
  await hydrated(page);
  await page.getByLabel("Tên đăng nhập hoặc e-mail").fill(username);
  await page.getByLabel("Mật khẩu").fill(DEMO_PASSWORD);
  await page.getByRole("button", { name: "Đăng nhập" }).click();
  await page.waitForURL((url) => url.pathname === "/");
  await hydrated(page);
}

/** A page of its own (own cookies) for another user, the size of the test's viewport; on
 * another server of the same database when `baseURL` is given. */
export async function pageAs(browser: Browser, page: Page, username: string, baseURL?: string): Promise<Page> {
  const context = await browser.newContext({
    viewport: page.viewportSize(),
    locale: "vi-VN",
    ...(baseURL ? { baseURL } : {}),
  });
  const other = await context.newPage();
  await signIn(other, username);
  return other;
}

export function isoInDays(days: number): string {
  const d = new Date(Date.now() + days * 24 * 3600 * 1000);
  return d.toISOString().slice(0, 10);
}


/** On a recognition list, records a decision over the school named `schoolName` and checks
 * that its DOCX downloads; answers the decision's number. */
export async function recordDecision(leader: Page, schoolName: string): Promise<string> {
  await leader.getByRole("checkbox", { name: new RegExp(schoolName) }).check();
  const number = `${Date.now() % 100000}/QĐ-SGDĐT`;
  await leader.getByLabel("Số quyết định").fill(number);
  await leader.getByLabel("Người ký").fill("Nguyễn Văn Hùng");
  await checkPage(leader);
  await leader.getByRole("button", { name: "Ghi quyết định" }).click();
  await expect(leader.getByText(`Quyết định số ${number}`)).toBeVisible();
  const docx = leader.getByRole("listitem").filter({ hasText: number }).getByRole("link", { name: "Tải DOCX" });
  const response = await leader.request.get((await docx.getAttribute("href"))!);
  expect(response.status()).toBe(200);
  expect(response.headers()["content-type"]).toContain("wordprocessingml");
  return number;
}
