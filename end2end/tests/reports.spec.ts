import { expect, test } from "@playwright/test";
import { checkPage, fillQuarterlyReport, hydrated, openOneOffCycle, pageAs, signIn } from "./helpers";

const PDF = Buffer.from("%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n");

test("a school files a report on the phone, offline and back, and it goes through review", async ({
  page,
  browser,
}) => {
  test.setTimeout(150_000);
  const title = `Báo cáo thử ${Date.now()}`;

  // The specialist opens a one-off cycle; the form shows its dates before creating it.
  await openOneOffCycle(browser, page, title);

  // The school finds it among what it owes.
  await signIn(page, "truong");
  await page.goto("/reports");
  await hydrated(page);
  await checkPage(page);
  const card = page.getByRole("listitem").filter({ hasText: title });
  await card.getByRole("link", { name: /Điền báo cáo/ }).click();
  await hydrated(page);
  await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
  await checkPage(page);

  await fillQuarterlyReport(page);
  await expect(page.locator("[data-state=saved]").filter({ hasText: "Đã lưu lúc" })).toBeVisible();

  // The connection drops; typing goes on and stays on the device.
  await page.context().setOffline(true);
  await page.getByLabel("Kết quả đạt được").fill("Tổ chức 4 buổi tuyên truyền dưới cờ cho toàn trường.");
  await page.getByLabel("Phương hướng, nhiệm vụ quý tới").fill("Duy trì mô hình cổng trường an toàn giao thông.");
  await expect(page.getByText("Chưa gửi", { exact: true })).toBeVisible();
  await expect(page.locator("[data-state=offline]")).toBeVisible();
  await expect(page.getByRole("link", { name: "Lưu phần chưa gửi ra tệp" })).toBeVisible();
  await page.context().setOffline(false);
  await page.reload();
  await hydrated(page);
  await expect(page.getByLabel("Kết quả đạt được")).toHaveValue(
    "Tổ chức 4 buổi tuyên truyền dưới cờ cho toàn trường.",
  );
  await expect(page.getByLabel("Số buổi tuyên truyền, phổ biến giáo dục pháp luật")).toHaveValue("4");

  // Submitting without the signed scan says what is missing, at the field.
  await page.getByRole("button", { name: "Nộp báo cáo" }).click();
  await expect(page.getByRole("alert").filter({ hasText: "chưa đính kèm" }).first()).toBeVisible();
  await page.locator("#field-ban_scan").setInputFiles({
    name: "bao-cao-quy.pdf",
    mimeType: "application/pdf",
    buffer: PDF,
  });
  await expect(page.getByRole("link", { name: /bao-cao-quy\.pdf/ })).toBeVisible();
  await expect(page.locator("[data-state=saved]").filter({ hasText: "Đã lưu lúc" })).toBeVisible();

  // A double tap makes one submission.
  await page.getByRole("button", { name: "Nộp báo cáo" }).dblclick();
  await expect(page.locator(".unit-meta .status").filter({ hasText: "Đã nộp" })).toBeVisible();
  await expect(page.locator(".history li").filter({ hasText: "Nộp báo cáo" })).toHaveCount(1);
  await checkPage(page);
  const reportUrl = page.url();

  // The area officer returns it with a comment.
  const reviewer = await pageAs(browser, page, "khuvuc");
  await reviewer.goto("/reports/queue");
  await hydrated(reviewer);
  await checkPage(reviewer);
  await reviewer.goto(reportUrl);
  await hydrated(reviewer);
  await checkPage(reviewer);
  await reviewer.getByLabel("Ý kiến (bắt buộc khi yêu cầu bổ sung)").fill("Bổ sung số lượt học sinh tham gia.");
  await reviewer.getByRole("button", { name: "Yêu cầu bổ sung" }).click();
  await expect(reviewer.locator(".unit-meta .status").filter({ hasText: "Yêu cầu bổ sung" })).toBeVisible();

  // The school is told, fixes and sends it again.
  await page.goto("/notifications");
  await hydrated(page);
  await checkPage(page);
  await page.getByRole("link", { name: `Báo cáo cần bổ sung: ${title}` }).first().click();
  await hydrated(page);
  await expect(page.locator(".review-comment")).toHaveText("Bổ sung số lượt học sinh tham gia.");
  await page.getByLabel("Số lượt cán bộ, giáo viên, học sinh tham gia").fill("1.400");
  await page.getByRole("button", { name: "Nộp báo cáo" }).click();
  await expect(page.locator(".unit-meta .status").filter({ hasText: "Đã nộp" })).toBeVisible();

  // Accepted, the report is locked for the school.
  await reviewer.reload();
  await hydrated(reviewer);
  await reviewer.getByRole("button", { name: "Duyệt", exact: true }).click();
  await expect(reviewer.locator(".unit-meta .status").filter({ hasText: "Đã duyệt" })).toBeVisible();
  await reviewer.context().close();
  await page.reload();
  await hydrated(page);
  await expect(page.locator(".unit-meta .status").filter({ hasText: "Đã duyệt" })).toBeVisible();
  await expect(page.getByRole("button", { name: "Nộp báo cáo" })).toHaveCount(0);
  await expect(page.getByText("1.400 lượt người")).toBeVisible();
  await checkPage(page);
});

test("leadership sees a cycle's progress and roll-up and exports the report and the workbook", async ({ page }) => {
  await signIn(page, "lanhdao");
  await page.goto("/reports");
  await hydrated(page);
  await checkPage(page);
  await page.getByRole("link", { name: /Báo cáo quý phong trào Toàn dân bảo vệ ANTQ - Quý II năm 2026/ }).click();
  await hydrated(page);
  await expect(page.getByRole("heading", { name: "Tiến độ nộp" })).toBeVisible();
  await expect(page.locator(".big-figure")).toContainText("%");
  await expect(page.getByRole("heading", { name: "Tổng hợp số liệu" })).toBeVisible();
  await checkPage(page);
  // Exports run on the server; the page follows them and offers the file when ready.
  await page.getByRole("button", { name: "Báo cáo tổng hợp (DOCX)" }).click();
  const docx = page.getByRole("link", { name: /Tải xuống bao-cao-tong-hop-ky-\d+\.docx/ });
  await expect(docx).toBeVisible();
  await checkPage(page);
  let download = page.waitForEvent("download");
  await docx.click();
  expect((await download).suggestedFilename()).toMatch(/^bao-cao-tong-hop-ky-\d+\.docx$/);
  await page.getByRole("button", { name: "Bảng tổng hợp (XLSX)" }).click();
  const xlsx = page.getByRole("link", { name: /Tải xuống tong-hop-bao-cao-ky-\d+\.xlsx/ });
  await expect(xlsx).toBeVisible();
  download = page.waitForEvent("download");
  await xlsx.click();
  expect((await download).suggestedFilename()).toMatch(/\.xlsx$/);
  // Only the late ones, from the status filter in the address.
  await page.goto(`${new URL(page.url()).pathname}?status=missing`);
  await hydrated(page);
  await expect(page.locator("table .status").first()).toHaveText("Chưa nộp");
  await checkPage(page);
});

test("a specialist writes a template, then a second version that new cycles offer", async ({ page }) => {
  test.setTimeout(120_000);
  const name = `Báo cáo nhanh Ngày hội ${Date.now()}`;
  await signIn(page, "chuyenvien");
  await page.goto("/reports");
  await hydrated(page);
  await page.getByRole("link", { name: "Mẫu báo cáo", exact: true }).click();
  await expect(page.getByRole("heading", { name: "Mẫu báo cáo", level: 1 })).toBeVisible();
  await checkPage(page);
  await page.getByRole("link", { name: "+ Mẫu mới" }).click();
  await expect(page.getByRole("heading", { name: "Mẫu báo cáo mới" })).toBeVisible();
  await hydrated(page);
  await page.getByLabel("Tên mẫu").fill(name);
  const first = page.getByRole("group", { name: /^Mục 1/ });
  await first.getByLabel("Tên mục").fill("Số người tham gia");
  await first.getByLabel("Đơn vị tính").fill("người");
  await page.getByRole("button", { name: "+ Thêm mục" }).click();
  // A field without a name is refused, saying which.
  await page.getByRole("button", { name: "Lưu phiên bản" }).click();
  await expect(page.getByText("Mục số 2 chưa có tên.")).toBeVisible();
  const second = page.getByRole("group", { name: /^Mục 2/ });
  await second.getByLabel("Tên mục").fill("Hình thức tổ chức");
  await second.getByLabel("Loại", { exact: true }).selectOption({ label: "Chọn một" });
  await second.getByLabel("Các lựa chọn (mỗi dòng một lựa chọn)").fill("Trực tiếp\nTrực tuyến");
  await checkPage(page);
  await page.getByRole("button", { name: "Lưu phiên bản" }).click();
  await page.waitForURL((url) => url.pathname === "/reports/templates");
  await hydrated(page);
  const card = page.locator(".report-card", { hasText: name });
  await expect(card).toContainText("Phiên bản 1 · 2 mục");

  // The next version: a third field, and the second one moved up then removed again.
  await card.getByRole("link", { name: /Tạo phiên bản mới/ }).click();
  await expect(page.getByRole("heading", { name: `${name} — phiên bản 2` })).toBeVisible();
  await hydrated(page);
  await expect(page.getByRole("group", { name: /^Mục 1 · mã so_nguoi_tham_gia/ })).toBeVisible();
  await page.getByRole("button", { name: "+ Thêm mục" }).click();
  const third = page.getByRole("group", { name: /^Mục 3/ });
  await third.getByLabel("Tên mục").fill("Ảnh hoạt động");
  await third.getByLabel("Loại", { exact: true }).selectOption({ label: "Tệp đính kèm" });
  await third.getByLabel("Bắt buộc", { exact: true }).uncheck();
  await third.getByRole("button", { name: "↑ Lên" }).click();
  await expect(page.getByRole("group", { name: /^Mục 2/ }).getByLabel("Tên mục")).toHaveValue("Ảnh hoạt động");
  page.once("dialog", (dialog) => dialog.accept());
  await page.getByRole("group", { name: /^Mục 3/ }).getByRole("button", { name: "Bỏ mục" }).click();
  await expect(page.getByRole("group", { name: /^Mục 3/ })).toHaveCount(0);
  await page.getByRole("button", { name: "Lưu phiên bản" }).click();
  await page.waitForURL((url) => url.pathname === "/reports/templates");
  await expect(page.locator(".report-card", { hasText: name })).toContainText("Phiên bản 2 · 2 mục");

  // New cycles offer the newest version.
  await page.goto("/reports/new");
  await hydrated(page);
  await page.getByLabel("Mẫu báo cáo").selectOption({ label: `${name} (phiên bản 2)` });
});
