import { expect, test } from "@playwright/test";
import { checkPage, hydrated, pageAs, recordDecision, signIn } from "./helpers";

const PDF = Buffer.from("%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n");
const STANDARD = "Tiêu chuẩn “An toàn về an ninh, trật tự”";
const REGISTER = "Đăng ký tiêu chuẩn “An toàn về an ninh, trật tự”";

test("a school registers for the safety standard on its phone; the reviewer passes it and the leader recognises it", async ({
  page,
  browser,
}, testInfo) => {
  // A school registers once a year, and both viewports share one database: the phone,
  // where schools work, takes the whole path.
  test.skip(testInfo.project.name !== "phone-360", "one registration a year; the phone run covers it");
  test.setTimeout(150_000);
  const year = new Date().getFullYear();

  // The demo's secondary school: the standard is not offered to primary schools.
  await signIn(page, "truongthcs");
  await page.goto("/recognition");
  await hydrated(page);
  const schoolName = (await page.locator("section.panel h2").first().textContent())!.trim();
  await page.getByRole("button", { name: REGISTER }).click();
  await page.waitForURL(/\/recognition\/\d+$/);
  await hydrated(page);
  await expect(page.locator(".pipeline-current")).toHaveText("Đã đăng ký");
  await checkPage(page);

  // All or nothing: every criterion met, with evidence where the set asks for it.
  for (const key of ["1", "2", "3", "4", "5"]) {
    await page.getByLabel(`Tự đánh giá tiêu chí ${key}`).selectOption("yes");
  }
  await page.getByRole("button", { name: "Lưu tự đánh giá" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Đã lưu." })).toBeVisible();
  for (const key of ["1", "5"]) {
    await page
      .locator(`#file-item-${key}`)
      .setInputFiles({ name: `minh-chung-${key}.pdf`, mimeType: "application/pdf", buffer: PDF });
    await expect(page.getByRole("link", { name: new RegExp(`minh-chung-${key}\\.pdf`) })).toBeVisible();
  }
  await page.getByRole("button", { name: "Hoàn thành tự đánh giá" }).click();
  await expect(page.locator(".pipeline-current")).toHaveText("Đã tự đánh giá");
  await expect(page.locator(".outcome").first()).toContainText("Đạt tiêu chuẩn");
  await page.getByRole("button", { name: "Gửi đề nghị công nhận" }).click();
  await expect(page.locator(".pipeline-current")).toHaveText("Đã nộp hồ sơ");
  await checkPage(page);
  const assessmentUrl = page.url();

  // A department specialist reviews it.
  const officer = await pageAs(browser, page, "chuyenvien");
  await officer.goto(assessmentUrl);
  await hydrated(officer);
  await officer.getByRole("button", { name: "Bắt đầu xét" }).click();
  await expect(officer.locator(".pipeline-current")).toHaveText("Đang xét");
  for (const key of ["1", "2", "3", "4", "5"]) {
    await officer.getByLabel(`Điểm xét tiêu chí ${key}`).selectOption("yes");
  }
  await officer.getByRole("button", { name: "Lưu điểm xét" }).click();
  await expect(officer.getByText("Đã lưu.")).toBeVisible();
  await checkPage(officer);
  await officer.context().close();

  // The leader finds it on the standard's list, not the model schools', and records the
  // standard's decision.
  const leader = await pageAs(browser, page, "lanhdao");
  await leader.goto(`/recognition?year=${year}`);
  await hydrated(leader);
  await expect(leader.getByRole("checkbox", { name: new RegExp(schoolName) })).toHaveCount(0);
  await leader.getByRole("link", { name: STANDARD }).click();
  await leader.waitForURL(/programme=safety_standard/);
  await hydrated(leader);
  const number = await recordDecision(leader, schoolName);
  await leader.context().close();

  // The school's page shows the standard reached, with its decision.
  await page.goto("/recognition");
  await hydrated(page);
  const card = page.getByRole("listitem").filter({ hasText: `${STANDARD} — ${year}` });
  await expect(card.getByText("Được công nhận")).toBeVisible();
  await expect(card.getByText(`QĐ số ${number}`)).toBeVisible();
  await expect(page.getByRole("button", { name: REGISTER })).toHaveCount(0);
  await checkPage(page);
});
