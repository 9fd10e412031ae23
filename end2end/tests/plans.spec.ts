import { expect, test, type Browser, type Page } from "@playwright/test";
import { checkPage, hydrated, signIn } from "./helpers";

/** A signed-in page of its own (own cookies) at the given size. */
async function asUser(browser: Browser, username: string, width: number, height: number) {
  const context = await browser.newContext({ viewport: { width, height }, locale: "vi-VN" });
  const page = await context.newPage();
  await signIn(page, username);
  return { context, page };
}

async function saved(page: Page) {
  await expect(page.locator(".save-state")).toHaveAttribute("data-state", "saved", { timeout: 20_000 });
}

/** Fills the first field of an editor section, after adding an item to it. */
async function addItem(page: Page, section: string, button: string) {
  const box = page.locator(`[data-section="${section}"]`);
  await box.getByRole("button", { name: button }).click();
  return box.locator("ol.items > li").last();
}

test("a plan is written from scratch, survives going offline, is returned, fixed, issued and deployed", async ({
  browser,
}, testInfo) => {
  // One scenario across three people; it sets its own screen sizes.
  test.skip(testInfo.project.name !== "desktop-1280", "runs once, at the sizes it sets itself");
  test.setTimeout(180_000);
  const title = `Kế hoạch thử nghiệm ${Date.now()}`;

  // The specialist writes the plan at 1280×800, using every section.
  const writer = await asUser(browser, "chuyenvien", 1280, 800);
  const w = writer.page;
  await w.goto("/plans");
  await hydrated(w);
  await checkPage(w);
  await w.getByRole("button", { name: "+ Kế hoạch mới" }).click();
  await w.waitForURL(/\/plans\/\d+$/);
  await hydrated(w);
  const planUrl = w.url();

  await w.locator("#h-title").fill(title);
  let item = await addItem(w, "bases", "+ Thêm căn cứ");
  await item.locator("input").fill("Nghị quyết số 51-NQ/TW ngày 05/9/2019 của Bộ Chính trị");
  item = await addItem(w, "purposes", "+ Thêm mục đích");
  await item.locator("textarea").fill("Mục đích thứ hai");
  item = await addItem(w, "purposes", "+ Thêm mục đích");
  await item.locator("textarea").fill("Mục đích **thứ nhất**");
  // Reordering by keyboard: Alt+↑ inside the second purpose moves it first.
  await item.locator("textarea").press("Alt+ArrowUp");
  await expect(w.locator('[data-section="purposes"] textarea').first()).toHaveValue("Mục đích **thứ nhất**");
  item = await addItem(w, "tasks", "+ Thêm nhiệm vụ");
  await item.locator('input[id^="task-title-"]').fill("Tuyên truyền trong trường học");
  await item.locator('textarea[id^="task-body-"]').fill("Tổ chức sinh hoạt dưới cờ.");
  await item.locator('textarea[id^="task-points-"]').fill("Mỗi học kỳ một buổi\nĐăng tin trên trang của trường");
  await item.locator('input[id^="task-who-"]').fill("Các trường học");
  await item.locator('input[id^="task-deadline-"]').fill("2026-12-31");
  item = await addItem(w, "targets", "+ Thêm chỉ tiêu");
  await item.locator('input[id^="target-value-"]').fill("100");
  await item.locator('input[id^="target-text-"]').fill("trường tổ chức hội nghị triển khai");
  item = await addItem(w, "criteria-collective", "+ Thêm tiêu chí");
  await item.locator("textarea").fill("Không để xảy ra vụ việc phức tạp.");
  item = await addItem(w, "criteria-individual", "+ Thêm tiêu chí");
  await item.locator("textarea").fill("Chấp hành tốt pháp luật.");
  item = await addItem(w, "solutions", "+ Thêm giải pháp");
  await item.locator("textarea").fill("Phối hợp với công an xã.");
  item = await addItem(w, "organisation", "+ Thêm đơn vị thực hiện");
  await item.locator('input[id^="duty-who-"]').fill("Văn phòng Sở");
  await item.locator('textarea[id^="duty-text-"]').fill("Theo dõi, tổng hợp.");
  item = await addItem(w, "reporting", "+ Thêm yêu cầu báo cáo");
  await item.locator('input[id^="report-what-"]').fill("Báo cáo kết quả");
  await item.locator('input[id^="report-due-"]').fill("2026-12-05");
  await item.locator('input[id^="report-to-"]').fill("Văn phòng Sở");
  item = await addItem(w, "recipients", "+ Thêm nơi nhận");
  await item.locator("input").fill("Các đơn vị trực thuộc");
  await w.locator("#sign-name").fill("Nguyễn Văn Minh");
  await saved(w);
  await checkPage(w);

  // Offline mid-edit: the text stays on the device and comes back after a reload.
  await writer.context.setOffline(true);
  const solution = w.locator('[data-section="solutions"] textarea').first();
  await solution.fill("Phối hợp với công an xã — gõ khi mất mạng.");
  await expect(w.locator(".save-state")).toHaveAttribute("data-state", /offline|unsaved/);
  await expect(w.locator(".save-state")).toHaveAttribute("data-state", "offline", { timeout: 10_000 });
  // Back online, saves are still held back, so the reload can only find the device's copy.
  await w.route("**/api/plans/save", (route) => route.abort());
  await writer.context.setOffline(false);
  await w.reload();
  await hydrated(w);
  await expect(w.getByText("Đã khôi phục phần soạn chưa kịp lưu")).toBeVisible();
  await expect(w.locator('[data-section="solutions"] textarea').first()).toHaveValue(
    "Phối hợp với công an xã — gõ khi mất mạng.",
  );
  await w.unroute("**/api/plans/save");
  await saved(w);
  await w.getByRole("button", { name: "Trình duyệt" }).click();
  await expect(w.locator(".status")).toHaveText("Chờ duyệt");

  // Leadership returns it with a comment.
  const leader = await asUser(browser, "lanhdao", 1280, 800);
  const l = leader.page;
  await l.goto(planUrl);
  await hydrated(l);
  await checkPage(l);
  await l.getByLabel("Ý kiến (bắt buộc khi trả lại)").fill("Ghi rõ thời hạn của báo cáo.");
  await l.getByRole("button", { name: "Trả lại" }).click();
  await expect(l.locator(".status")).toHaveText("Dự thảo");

  // The specialist sees the comment, fixes the plan and submits again.
  await w.goto(planUrl);
  await hydrated(w);
  await expect(w.locator(".return-comment")).toHaveText("Ghi rõ thời hạn của báo cáo.");
  await w.locator('[data-section="reporting"] input[id^="report-form-"]').fill("bản ký số kèm tệp Word");
  await saved(w);
  await w.getByRole("button", { name: "Trình duyệt" }).click();
  await expect(w.locator(".status")).toHaveText("Chờ duyệt");

  // Leadership issues it with its number.
  await l.goto(planUrl);
  await hydrated(l);
  await l.getByLabel("Số, ký hiệu").fill("999/KH-SGDĐT");
  await l.getByRole("button", { name: "Duyệt và ban hành" }).click();
  await expect(l.locator(".status")).toHaveText("Ban hành");
  const received = l.locator('.bar-value[data-step="received"]');
  const before = await received.textContent();
  expect(before).toMatch(/^0\/\d+/);
  const conference = l.locator('.bar-value[data-step="conference"]');
  await checkPage(l);

  // The school, on a phone, is told and marks two steps.
  const school = await asUser(browser, "truong", 360, 740);
  const s = school.page;
  await expect(s.locator(".bell .badge")).toBeVisible();
  await s.goto("/notifications");
  await hydrated(s);
  await checkPage(s);
  await expect(s.getByRole("link", { name: new RegExp(title) })).toBeVisible();
  await s.goto("/deployments");
  await hydrated(s);
  const card = s.locator(".checklist").filter({ hasText: title });
  await card.getByRole("checkbox", { name: "Đã tiếp nhận" }).check();
  await expect(card.locator(".step-done")).toHaveCount(1);
  await card.getByRole("checkbox", { name: "Tổ chức hội nghị triển khai" }).check();
  await expect(card.locator(".step-done")).toHaveCount(2);
  await checkPage(s);

  // The coverage figures change accordingly.
  await l.reload();
  await hydrated(l);
  await expect(received).toHaveText(/^1\/\d+/);
  await expect(conference).toHaveText(/^1\/\d+/);
  await expect(l.locator('.bar-value[data-step="own_plan"]')).toHaveText(/^0\/\d+/);

  // The printed form and the Word file are offered.
  await l.goto(planUrl + "/print");
  await hydrated(l);
  await expect(l.locator(".document")).toContainText("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM");
  await expect(l.locator(".document")).toContainText("Số: 999/KH-SGDĐT");
  await checkPage(l);

  for (const c of [writer.context, leader.context, school.context]) {
    await c.close();
  }
});
