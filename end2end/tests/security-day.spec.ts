import { expect, test, type Page } from "@playwright/test";
import { checkPage, hydrated, pageAs, signIn } from "./helpers";

const PNG = Buffer.from(
  "89504e470d0a1a0a0000000d4948445200000001000000010802000000907753de0000000c4944415408d763f8cfc000000301010018dd8db40000000049454e44ae426082",
  "hex",
);
const PDF = Buffer.from("%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n");

/** The department's figures: schools that held the day, and people taking part. */
async function figures(page: Page): Promise<{ held: number; people: number }> {
  const values = page.locator("#day-figures ~ ul.stats .stat-value");
  const held = Number((await values.nth(0).textContent())!.split("/")[0]);
  const people = Number((await values.nth(1).textContent())!.replace(/\D/g, ""));
  return { held, people };
}

test("a school records the 19/8 day with a photo on its phone; the department's figures count it", async ({
  page,
  browser,
}) => {
  test.setTimeout(120_000);
  const specialist = await pageAs(browser, page, "chuyenvien");
  await specialist.goto("/day-19-8");
  await hydrated(specialist);
  await checkPage(specialist);
  const before = await figures(specialist);

  await signIn(page, "truong");
  await page.goto("/day-19-8");
  await hydrated(page);
  await checkPage(page);
  const panel = page.locator("section.panel").first();
  // Both viewports share one database: the second finds the day already recorded.
  const hadRecord = (await panel.getByText("Ảnh khác gửi thêm sau khi lưu ngày hội.").count()) === 0;
  const people = panel.getByLabel("Số người tham gia");
  const oldPeople = hadRecord ? Number(await people.inputValue()) : 0;

  // Nobody taking part is refused with the reason; nothing is saved.
  await people.fill("0");
  await panel.getByRole("button", { name: "Lưu ngày hội" }).click();
  await expect(panel.getByText("Số người tham gia phải lớn hơn 0.")).toBeVisible();

  const newPeople = 300 + Math.floor(Math.random() * 600);
  await people.fill(String(newPeople));
  await panel.getByLabel("Lễ mít tinh, chào cờ").check();
  await panel.getByLabel("Ký cam kết giữ gìn ANTT").check();
  await panel.getByRole("button", { name: "Lưu ngày hội" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Đã lưu ngày hội." })).toBeVisible();
  await expect(panel.getByLabel("Số người tham gia")).toHaveValue(String(newPeople));
  // The form came back as a new page: the photo picker uploads once it is hydrated.
  await hydrated(page);

  // Photos once the day is saved: a PDF passed off as a photo is refused, the photo kept.
  const input = panel.locator("input[type=file]");
  await expect(input).toBeAttached();
  const count = panel.getByRole("heading", { name: /^Ảnh \(\d\/6\)$/ });
  const photosBefore = Number((await count.textContent())!.match(/\((\d)\//)![1]);
  await input.setInputFiles({ name: "anh.png", mimeType: "image/png", buffer: PDF });
  await expect(panel.getByRole("alert")).toBeVisible();
  await input.setInputFiles({ name: "ngay-hoi.png", mimeType: "image/png", buffer: PNG });
  await expect(panel.getByRole("img", { name: "ngay-hoi.png" }).first()).toBeVisible();
  await expect(count).toHaveText(`Ảnh (${photosBefore + 1}/6)`);
  await checkPage(page);

  // Removing asks first; closing the question changes nothing, removing takes it away.
  const ask = panel.locator("summary", { hasText: "Xoá ngay-hoi.png" }).first();
  await ask.click();
  await expect(panel.getByRole("button", { name: "Xoá ảnh này" })).toBeVisible();
  await ask.click();
  await expect(panel.getByRole("button", { name: "Xoá ảnh này" })).toBeHidden();
  await expect(count).toHaveText(`Ảnh (${photosBefore + 1}/6)`);
  await ask.click();
  await panel.getByRole("button", { name: "Xoá ảnh này" }).click();
  await expect(count).toHaveText(`Ảnh (${photosBefore}/6)`);

  // The department sees the school and its people counted.
  await specialist.reload();
  await hydrated(specialist);
  const after = await figures(specialist);
  expect(after.held).toBe(before.held + (hadRecord ? 0 : 1));
  expect(after.people).toBe(before.people - oldPeople + newPeople);
  await specialist.context().close();
});
