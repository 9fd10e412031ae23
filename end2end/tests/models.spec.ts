import { expect, test } from "@playwright/test";
import { checkPage, hydrated, pageAs, signIn } from "./helpers";

const PDF = Buffer.from("%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n");

test("a school registers a model it runs with evidence; the area officer rates it and marks it for replication", async ({
  page,
  browser,
}, testInfo) => {
  test.setTimeout(120_000);
  // Each viewport registers its own model, as both runs share one database.
  const model = testInfo.project.name === "desktop-1280" ? "Trường học không ma túy" : "Xếp hàng đón con";

  await signIn(page, "truong");
  await page.goto("/models");
  await hydrated(page);
  await checkPage(page);
  const totals = page.locator("#model-totals").getByRole("row").filter({ hasText: model });
  const schoolsBefore = Number(await totals.locator("td").first().textContent());

  // A start date in the future is refused; the school fixes it and registers.
  const tomorrow = new Date(Date.now() + 2 * 24 * 3600 * 1000).toISOString().slice(0, 10);
  await page.getByLabel("Mô hình", { exact: true }).first().selectOption({ label: model });
  await page.getByLabel("Ngày bắt đầu").fill(tomorrow);
  await page.getByLabel("Số điểm triển khai").fill("2");
  await page.getByRole("button", { name: "Đăng ký mô hình" }).click();
  await expect(page.getByText("Ngày bắt đầu không được sau hôm nay.")).toBeVisible();
  await page.getByLabel("Ngày bắt đầu").fill("2025-09-05");
  await page.getByRole("button", { name: "Đăng ký mô hình" }).click();
  const card = page.locator("li.report-card").filter({ hasText: model });
  await expect(card).toBeVisible();
  await expect(card).toContainText("Từ 05/09/2025");
  await expect(card).toContainText("2 điểm");
  await expect(card).toContainText("Chưa đánh giá");
  await expect(totals.locator("td").first()).toHaveText(String(schoolsBefore + 1));
  // The registration came back as a new page: the picker uploads once it is hydrated.
  await hydrated(page);

  // Evidence: a PDF named as a Word file is refused, the PDF itself kept.
  const input = card.locator("input[type=file]");
  await input.setInputFiles({ name: "bien-ban.docx", mimeType: "application/pdf", buffer: PDF });
  await expect(card.getByRole("alert")).toBeVisible();
  await input.setInputFiles({ name: "anh-xep-hang.pdf", mimeType: "application/pdf", buffer: PDF });
  await expect(card.getByRole("link", { name: /anh-xep-hang\.pdf/ })).toBeVisible();
  await checkPage(page);
  const schoolName = (await page.locator("section.panel h2").first().textContent())!.replace(/^.*— /, "").trim();

  // The area officer finds it in the area's list, rates it and marks it for replication.
  const officer = await pageAs(browser, page, "khuvuc");
  await officer.goto("/models");
  await hydrated(officer);
  const run = officer.locator("li.report-card").filter({ hasText: schoolName }).filter({ hasText: model });
  await expect(run).toBeVisible();
  await expect(run.getByRole("link", { name: /anh-xep-hang\.pdf/ })).toBeVisible();
  await run.getByLabel("Xếp loại").selectOption("good");
  await run.getByLabel("Chọn nhân rộng").check();
  await run.getByRole("button", { name: /Lưu đánh giá/ }).click();
  await expect(run).toContainText("Tốt · chọn nhân rộng");
  await checkPage(officer);

  // The school sees the review on its phone.
  await page.reload();
  await hydrated(page);
  await expect(card).toContainText("Tốt · chọn nhân rộng");
  await officer.context().close();
});
