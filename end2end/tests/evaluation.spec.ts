import { expect, test } from "@playwright/test";
import { checkPage, hydrated, signIn } from "./helpers";

test("a school opens its yearly evaluation on its phone, scores itself and finishes it", async ({ page }) => {
  test.setTimeout(90_000);
  const year = new Date().getFullYear();
  await signIn(page, "truong");
  await page.goto("/recognition");
  await hydrated(page);
  await checkPage(page);
  // Both viewports share one database: the second finds the evaluation already open.
  const open = page.getByRole("button", { name: `Tự đánh giá phong trào năm ${year}` });
  if ((await open.count()) > 0) {
    await open.click();
  } else {
    await page.getByRole("link", { name: `Đánh giá, phân loại hằng năm — ${year}` }).click();
  }
  await page.waitForURL(/\/recognition\/\d+$/);
  await hydrated(page);
  await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
  await expect(page.getByText("Tự tính từ tỉ lệ báo cáo định kỳ nộp đúng hạn trong năm.")).toBeVisible();
  await checkPage(page);

  const finish = page.getByRole("button", { name: "Hoàn thành tự đánh giá" });
  const firstTime = (await finish.count()) > 0;
  if (firstTime) {
    // Finishing with items unanswered is refused and names them.
    await finish.click();
    await expect(page.getByText(/Còn tiêu chí chưa tự đánh giá/)).toBeVisible();
  }
  for (const [key, points] of [["1.1", "15"], ["1.2", "8"], ["2.1", "20"], ["2.3", "12"]]) {
    await page.getByLabel(`Tự đánh giá tiêu chí ${key}`).fill(points);
  }
  await page.getByLabel("Tự đánh giá tiêu chí 2.2").selectOption("yes");
  await page.getByRole("button", { name: "Lưu tự đánh giá" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Đã lưu." })).toBeVisible();
  if (firstTime) {
    await finish.click();
  }
  await expect(page.locator(".pipeline-current")).toHaveText("Đã tự đánh giá");
  // 55 typed points plus the reporting item: a band is reached and shown.
  await expect(page.locator(".outcome").first()).toContainText(/\d+\/100 điểm/);
  await expect(page.getByRole("button", { name: "Gửi đề nghị công nhận" })).toHaveCount(0);
  await checkPage(page);
});
