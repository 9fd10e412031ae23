import { expect, test } from "@playwright/test";
import { checkPage, hydrated, pageAs, recordDecision, signIn } from "./helpers";

const PDF = Buffer.from("%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n");

const pdf = (name: string) => ({ name, mimeType: "application/pdf", buffer: PDF });

test("an area officer chooses a model school; it self-assesses, files its dossier and is recognised", async ({
  page,
  browser,
}, testInfo) => {
  test.setTimeout(180_000);
  // Each viewport takes its own year, so that the two runs over one database do not meet.
  const year = new Date().getFullYear() + (testInfo.project.name === "desktop-1280" ? 1 : 0);

  // The school's page names it and offers what applies to it.
  await signIn(page, "truong");
  await page.goto("/recognition");
  await hydrated(page);
  await checkPage(page);
  const schoolName = (await page.locator("section.panel h2").first().textContent())!.trim();

  // The area officer sees the area has no model school this year and chooses this one.
  const officer = await pageAs(browser, page, "khuvuc");
  await officer.goto(`/recognition?year=${year}`);
  await hydrated(officer);
  await expect(officer.getByText(/khu vực chưa chọn cơ sở giáo dục điển hình năm/)).toBeVisible();
  await checkPage(officer);
  await officer.getByLabel("Trường", { exact: true }).selectOption({ label: schoolName });
  await officer.getByRole("button", { name: "Chọn trường này" }).click();
  await expect(officer.getByText("Đã chọn; trường nhận được thông báo.")).toBeVisible();
  const row = officer.getByRole("row").filter({ hasText: schoolName });
  await expect(row.getByText("Được chọn")).toBeVisible();

  // The school, on its phone, opens it from its page and assesses itself.
  await page.goto("/recognition");
  await hydrated(page);
  await page.getByRole("link", { name: `Cơ sở giáo dục điển hình — ${year}` }).click();
  await hydrated(page);
  await expect(page.getByRole("heading", { level: 1, name: schoolName })).toBeVisible();
  await expect(page.getByText(/Bản dự thảo để chỉnh sửa/)).toBeVisible();
  await page.getByRole("button", { name: "Bắt đầu xây dựng" }).click();
  await expect(page.locator(".pipeline-current")).toHaveText("Đang xây dựng");
  // Each button of the assessment posts the form: the page comes back and hydrates again.
  await hydrated(page);
  await checkPage(page);

  await page.getByLabel("Tự đánh giá tiêu chí 1.1").selectOption("yes");
  await page.getByLabel("Tự đánh giá tiêu chí 1.2").fill("10");
  await page.getByLabel("Tự đánh giá tiêu chí 2.1").fill("14");
  await page.getByLabel("Tự đánh giá tiêu chí 2.2").fill("97");
  await page.getByLabel("Tự đánh giá tiêu chí 2.2").blur();
  await page.getByLabel("Tự đánh giá tiêu chí 3.1").selectOption("yes");
  await page.getByLabel("Tự đánh giá tiêu chí 3.2").fill("15");
  await page.getByLabel("Tự đánh giá tiêu chí 4.1").fill("13");
  await page.getByLabel("Tự đánh giá tiêu chí 4.2").fill("9");
  await expect(page.locator(".outcome").first()).toContainText("96/100");
  await page.getByRole("button", { name: "Lưu tự đánh giá" }).click();
  await expect(page.getByText("Đã lưu.")).toBeVisible();
  for (const key of ["1-1", "1-2", "2-1", "3-2", "4-1"]) {
    await page.locator(`#file-item-${key}`).setInputFiles(pdf(`minh-chung-${key}.pdf`));
    await expect(page.getByRole("link", { name: new RegExp(`minh-chung-${key}\\.pdf`) })).toBeVisible();
  }
  await page.getByRole("button", { name: "Hoàn thành tự đánh giá" }).click();
  await expect(page.locator(".pipeline-current")).toHaveText("Đã tự đánh giá");

  // Filing is refused while a document of the dossier is missing.
  await page.getByRole("button", { name: "Nộp hồ sơ" }).click();
  await expect(page.getByText(/Chưa nộp được hồ sơ: còn thiếu Tờ trình/)).toBeVisible();
  await hydrated(page);
  await page.locator("#file-dossier-to_trinh").setInputFiles(pdf("to-trinh.pdf"));
  await expect(page.getByRole("link", { name: /to-trinh\.pdf/ })).toBeVisible();
  await page.getByRole("button", { name: "Tạo báo cáo từ bản tự đánh giá (DOCX)" }).click();
  await expect(page.getByRole("link", { name: /bao-cao-ket-qua-.*\.docx/ })).toBeVisible();
  await hydrated(page);
  await page.locator("#file-dossier-bien_ban_hop_xet").setInputFiles(pdf("bien-ban.pdf"));
  await expect(page.getByRole("link", { name: /bien-ban\.pdf/ })).toBeVisible();
  await checkPage(page);
  await page.getByRole("button", { name: "Nộp hồ sơ" }).click();
  await expect(page.locator(".pipeline-current")).toHaveText("Đã nộp hồ sơ");
  await expect(page.getByRole("button", { name: "Lưu tự đánh giá" })).toHaveCount(0);
  const assessmentUrl = page.url();

  // The area officer reviews it and scores it beside the school's own scores.
  await officer.goto(assessmentUrl);
  await hydrated(officer);
  await officer.getByRole("button", { name: "Bắt đầu xét" }).click();
  await expect(officer.locator(".pipeline-current")).toHaveText("Đang xét");
  await hydrated(officer);
  await officer.getByLabel("Điểm xét tiêu chí 1.1").selectOption("yes");
  await officer.getByLabel("Điểm xét tiêu chí 1.2").fill("10");
  await officer.getByLabel("Điểm xét tiêu chí 2.1").fill("12");
  await officer.getByLabel("Điểm xét tiêu chí 2.2").fill("97");
  await officer.getByLabel("Điểm xét tiêu chí 2.2").blur();
  await officer.getByLabel("Điểm xét tiêu chí 3.1").selectOption("yes");
  await officer.getByLabel("Điểm xét tiêu chí 3.2").fill("15");
  await officer.getByLabel("Điểm xét tiêu chí 4.1").fill("12");
  await officer.getByLabel("Điểm xét tiêu chí 4.2").fill("8");
  await expect(officer.locator(".outcome").nth(1)).toContainText("92/100");
  await officer.getByRole("button", { name: "Lưu điểm xét" }).click();
  await expect(officer.getByText("Đã lưu.")).toBeVisible();
  await checkPage(officer);
  await officer.context().close();

  // The leader records the year-end decision recognising it.
  const leader = await pageAs(browser, page, "lanhdao");
  await leader.goto(`/recognition?year=${year}`);
  await hydrated(leader);
  const number = await recordDecision(leader, schoolName);
  await leader.context().close();

  // The school's page shows the recognition and its decision.
  await page.goto("/recognition");
  await hydrated(page);
  const card = page.getByRole("listitem").filter({ hasText: `Cơ sở giáo dục điển hình — ${year}` });
  await expect(card.getByText("Được công nhận")).toBeVisible();
  await expect(card.getByText(`QĐ số ${number}`)).toBeVisible();
  await checkPage(page);
});
