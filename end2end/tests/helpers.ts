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

/** `checkPage` for a page shown with JavaScript off, where axe cannot run: its markup, without
 * scripts, is served again at its address to a page that can run axe (same stylesheet). */
export async function checkMarkup(source: Page) {
  const html = (await source.content()).replace(/<script\b[\s\S]*?<\/script>/g, "");
  const url = source.url();
  const browser = source.context().browser();
  if (!browser) throw new Error("no browser");
  const context = await browser.newContext({ viewport: source.viewportSize(), locale: "vi-VN" });
  const copy = await context.newPage();
  await copy.route(url, (route) => route.fulfill({ body: html, contentType: "text/html; charset=utf-8" }));
  await copy.goto(url);
  await checkPage(copy);
  await context.close();
}

/** Waits until the page is interactive (the wasm bundle has hydrated it). */
export async function hydrated(page: Page) {
  await page.waitForFunction(() => document.body.dataset.hydrated === "true");
}

export const DEMO_PASSWORD = "demo-antq-2025";

/** Signs in through the sign-in page and waits for the home page. */
export async function signIn(page: Page, username: string) {
  await page.goto("/sign-in");
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

/** A one-off report cycle titled `title`, due in 20 days, opened by the specialist (every
 * school must report). */
export async function openOneOffCycle(browser: Browser, page: Page, title: string) {
  const specialist = await pageAs(browser, page, "chuyenvien");
  await specialist.goto("/reports/new");
  await hydrated(specialist);
  await specialist
    .getByLabel("Mẫu báo cáo")
    .selectOption({ label: "Báo cáo quý kết quả thực hiện phong trào Toàn dân bảo vệ ANTQ (phiên bản 1)" });
  await specialist.getByLabel("Tên kỳ báo cáo").fill(title);
  await specialist.getByRole("radio", { name: /Đột xuất/ }).check();
  await specialist.getByLabel("Hạn nộp: trước ngày").fill(isoInDays(20));
  await expect(specialist.getByRole("table", { name: "Các ngày của kỳ báo cáo" })).toBeVisible();
  // Who must report is chosen as a plan's recipients are; none chosen means every school.
  await expect(specialist.getByText(/\d+ trường phải nộp tính đến hôm nay/)).toBeVisible();
  await checkPage(specialist);
  await specialist.getByRole("button", { name: "Tạo kỳ báo cáo" }).click();
  await specialist.waitForURL((url) => url.pathname === "/reports");
  await specialist.context().close();
}

/** The quarterly report's answers, typed as a school officer would. */
export async function fillQuarterlyReport(page: Page) {
  await page.getByLabel("Số buổi tuyên truyền, phổ biến giáo dục pháp luật").fill("4");
  await page.getByLabel("Số lượt cán bộ, giáo viên, học sinh tham gia").fill("1.250");
  await page.getByLabel("Số vụ bạo lực học đường").fill("0");
  await page.getByLabel("Số cán bộ, giáo viên, nhân viên, học sinh vi phạm pháp luật").fill("0");
  await page.getByLabel("Tỉ lệ học sinh ký cam kết không vi phạm pháp luật").fill("98,5");
  await page.getByRole("radio", { name: "Có" }).check();
  await page.getByLabel("Đánh giá chung tình hình an ninh, trật tự trong trường").selectOption("Ổn định");
}

/** Opens the school's report of the cycle titled `title` from its list of reports. */
export async function openReport(school: Page, title: string) {
  await school.goto("/reports");
  const card = school.getByRole("listitem").filter({ hasText: title });
  await card.getByRole("link", { name: /Điền báo cáo/ }).click();
  await expect(school.getByRole("heading", { level: 1 })).toBeVisible();
}
