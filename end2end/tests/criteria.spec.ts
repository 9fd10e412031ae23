import { expect, test } from "@playwright/test";
import { checkPage, hydrated, signIn } from "./helpers";

test("a specialist edits the yearly evaluation's criteria; a band beyond the total is refused before saving", async ({
  page,
}) => {
  test.setTimeout(90_000);
  await signIn(page, "chuyenvien");
  await page.goto("/recognition/criteria?programme=yearly_evaluation");
  await hydrated(page);
  await checkPage(page);
  const save = page.getByRole("button", { name: "Lưu bộ tiêu chí" });
  await expect(save).toBeDisabled();
  const current = Number((await page.locator("#set-title").textContent())!.replace(/\D/g, ""));
  const usedNote = (await page.locator("#set-title + p").textContent())!;
  const next = usedNote.includes("chưa") || usedNote.includes("Chưa") ? current : current + 1;

  const text = `Ban hành kế hoạch thực hiện phong trào của đơn vị (bản ${Date.now()})`;
  await page.getByLabel("Nội dung tiêu chí 1.1").fill(text);
  await expect(save).toBeEnabled();

  // A band asking for more than the highest total: named, and the set cannot be saved.
  const lowest = page.getByLabel("Điểm tối thiểu").first();
  const was = await lowest.inputValue();
  await lowest.fill("1000");
  await expect(page.getByText(/nhiều hơn tổng điểm tối đa/)).toBeVisible();
  await expect(save).toBeDisabled();
  await lowest.fill(was);
  await expect(save).toBeEnabled();

  await save.click();
  await expect(page.getByRole("status").filter({ hasText: `Đã lưu phiên bản ${next}.` })).toBeVisible();
  await expect(page.locator("#set-title")).toHaveText(`Phiên bản đang dùng: ${next}`);
  await expect(page.locator("li.report-card").filter({ hasText: `Phiên bản ${next}` })).toBeVisible();
  await checkPage(page);
  await page.reload();
  await hydrated(page);
  await expect(page.getByLabel("Nội dung tiêu chí 1.1")).toHaveValue(text);
});
