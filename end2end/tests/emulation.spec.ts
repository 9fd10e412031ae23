import { expect, test } from "@playwright/test";
import { checkPage, hydrated, pageAs, signIn } from "./helpers";

test("a school registers a title and nominates a teacher; the department approves and awards; the school's page shows it", async ({
  page,
  browser,
}, testInfo) => {
  test.setTimeout(120_000);
  // Each viewport its own title, person and decision, as both runs share one database.
  const desktop = testInfo.project.name === "desktop-1280";
  const title = desktop ? "Tập thể lao động xuất sắc" : "Tập thể lao động tiên tiến";
  const person = desktop ? "Trần Văn Nam" : "Nguyễn Thị Mai";
  const number = desktop ? "9102/QĐ-SGDĐT" : "9101/QĐ-SGDĐT";

  await signIn(page, "truong");
  await page.goto("/emulation");
  await hydrated(page);
  await checkPage(page);
  await page.getByLabel("Danh hiệu", { exact: true }).selectOption(title);
  await page.getByRole("button", { name: "Lưu đăng ký" }).click();
  const registration = page.locator("li.report-card").filter({ hasText: title });
  await expect(registration.getByText("Chưa gửi")).toBeVisible();
  await registration.getByRole("button", { name: /Gửi duyệt/ }).click();
  await expect(registration.getByText("Chờ duyệt")).toBeVisible();

  // A nomination without enough achievements is refused, then sent.
  const nominate = page.locator("form").filter({ has: page.getByRole("heading", { name: "Đề nghị khen thưởng" }) });
  await nominate.getByLabel("Họ và tên").fill(person);
  await nominate.getByLabel("Chức vụ").fill("Giáo viên");
  await nominate.getByLabel("Thành tích").fill("Tốt");
  await nominate.getByRole("button", { name: "Gửi đề nghị" }).click();
  await expect(nominate.getByText(/ít nhất 20 ký tự/)).toBeVisible();
  await nominate.getByLabel("Thành tích").fill("Phụ trách tổ tự quản an ninh, trật tự; tổ chức 10 buổi tuyên truyền.");
  await nominate.getByRole("button", { name: "Gửi đề nghị" }).click();
  await expect(page.locator("li.report-card").filter({ hasText: person }).getByText("Chờ quyết định")).toBeVisible();
  await checkPage(page);
  const schoolName = (await page.locator("section.panel h2").first().textContent())!.replace(/^.*— /, "").trim();

  // The specialist approves the registration and records the award decision.
  const specialist = await pageAs(browser, page, "chuyenvien");
  await specialist.goto("/emulation");
  await hydrated(specialist);
  const pending = specialist.locator("li.report-card").filter({ hasText: title }).filter({ hasText: schoolName });
  // The queue shows 20 at a time, oldest first: the school's is the newest.
  const more = specialist.getByRole("button", { name: /^Xem thêm/ });
  while ((await pending.count()) === 0 && (await more.count()) > 0) {
    await more.click();
  }
  await pending.getByRole("button", { name: /^Duyệt/ }).click();
  await expect(pending).toHaveCount(0);
  await specialist.getByLabel(`${person} — ${schoolName}`).check();
  await specialist.getByLabel("Số quyết định").fill(number);
  await specialist.getByLabel("Ngày ký").fill(new Date().toISOString().slice(0, 10));
  await specialist.getByLabel("Người ký").fill("Nguyễn Văn Hùng");
  await specialist.getByRole("button", { name: "Ghi quyết định khen thưởng" }).click();
  await expect(specialist.getByRole("row").filter({ hasText: person })).toContainText(`QĐ số ${number}`);
  await checkPage(specialist);

  // The school sees both, and its page lists the award.
  await page.reload();
  await hydrated(page);
  await expect(registration.getByText("Đã duyệt")).toBeVisible();
  await page.goto("/recognition");
  await hydrated(page);
  await expect(page.locator("li.report-card").filter({ hasText: person })).toContainText(`QĐ số ${number}`);
  await checkPage(page);
  await specialist.context().close();
});
