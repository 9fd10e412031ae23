import { expect, test } from "@playwright/test";
import { checkPage, hydrated, signIn } from "./helpers";

// The organisation is for signed-in users: these tests act as the demo department specialist.
test.beforeEach(async ({ page }) => {
  await signIn(page, "chuyenvien");
});

test("the home page speaks Vietnamese and shows the province", async ({ page }) => {
  const response = await page.goto("/");
  expect(response?.status()).toBe(200);
  await expect(page.locator("html")).toHaveAttribute("lang", "vi");
  await expect(page.getByText("Sở Giáo dục và Đào tạo tỉnh Sơn Hà").first()).toBeVisible();
  await checkPage(page);
});

test("search finds a school whatever the diacritics and opens it", async ({ page }) => {
  await page.goto("/directory");
  await hydrated(page);
  await checkPage(page);
  await page.getByRole("searchbox", { name: "Tìm đơn vị" }).fill("thcs nguyen thi thap");
  await page.getByRole("button", { name: "Tìm", exact: true }).click();
  await expect(page).toHaveURL(/q=thcs\+nguyen\+thi\+thap/);
  const link = page.getByRole("link", { name: "Trường THCS Nguyễn Thị Thập", exact: true });
  await expect(link).toBeVisible();
  await checkPage(page);
  await link.click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Trường THCS Nguyễn Thị Thập");
  await expect(page.getByRole("heading", { name: "Lịch sử trực thuộc" })).toBeVisible();
  await checkPage(page);
});

test("filters narrow the directory and live in the URL", async ({ page }) => {
  await page.goto("/directory");
  await hydrated(page);
  await page.getByLabel("Loại đơn vị").selectOption("school");
  await expect(page).toHaveURL(/kind=school/);
  // Choosing applied the filter with a page load: the next choice applies at once only when
  // the new page's island is ready (without it, the form's button applies it).
  await hydrated(page);
  await page.getByLabel("Cấp học").selectOption("THCS");
  await expect(page).toHaveURL(/level=THCS/);
  await expect(page.locator("#results[aria-busy=false]")).toBeVisible();
  await expect(page.locator(".unit-card").first()).toBeVisible();
  const kinds = await page.locator(".unit-card .unit-meta").allTextContents();
  expect(kinds.length).toBeGreaterThan(0);
  for (const text of kinds) expect(text).toContain("THCS");
  await checkPage(page);

  // Reloading the URL gives the same view: the filters are in it. Typing waits for the page
  // to be interactive again, or hydration would clear what was typed.
  await page.reload();
  await hydrated(page);
  await expect(page.getByLabel("Cấp học")).toHaveValue("THCS");
  await expect(page.getByLabel("Loại đơn vị")).toHaveValue("school");

  // Nothing matches: a clear empty state.
  await page.getByRole("searchbox", { name: "Tìm đơn vị" }).fill("không có trường nào như thế");
  await page.getByRole("searchbox", { name: "Tìm đơn vị" }).press("Enter");
  await expect(page.getByText("Không có đơn vị nào khớp.")).toBeVisible();
  await checkPage(page);
});

test("a merged district keeps its history and the tree shows it as it was", async ({ page }) => {
  await page.goto("/directory?q=long+phu&kind=area&as_of=2020-01-15");
  const link = page.getByRole("link", { name: "Thị xã Long Phú", exact: true });
  await expect(link).toBeVisible();
  await checkPage(page);
  await link.click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Thị xã Long Phú");
  await expect(page.getByText("Đã sáp nhập vào").first()).toBeVisible();
  await expect(page.getByRole("link", { name: "Huyện Long Hưng" }).first()).toBeVisible();
  await expect(page.getByText("01/02/2020").first()).toBeVisible();
  await checkPage(page);

  // Today the directory no longer lists it.
  await page.goto("/directory?q=long+phu&kind=area");
  await expect(page.getByText("Không có đơn vị nào khớp.")).toBeVisible();

  // The tree as it stood on 15/01/2020 shows both districts apart.
  const branch = (name: string) => page.locator("summary").filter({ hasText: name });
  await page.goto("/tree?as_of=2020-01-15");
  await expect(branch("Thị xã Long Phú")).toBeVisible();
  await expect(branch("Huyện Long Hưng")).toBeVisible();
  await checkPage(page);
  // Opening the district shows its own schools, fetched as of that day.
  await hydrated(page);
  await branch("Thị xã Long Phú").click();
  await expect(page.locator("details[open] .tree-leaf").first()).toBeVisible();
  await checkPage(page);
  await page.goto("/tree?as_of=2020-03-01");
  await expect(branch("Huyện Long Hưng")).toBeVisible();
  await expect(branch("Thị xã Long Phú")).toHaveCount(0);
});

test("an import with a bad row is rejected with the rows named", async ({ page }) => {
  await page.goto("/import");
  await hydrated(page);
  await checkPage(page);
  const csv = [
    "Mã trường,Tên trường,Cấp học,Loại hình,Mã khu vực,Số CB-GV-NV,Số học sinh",
    "86995001,Trường Tiểu học Thử Nghiệm,TH,CL,25000,20,300",
    "86995002,Trường THCS Sai,ABC,CL,25000,20,300",
  ].join("\n");
  await page.getByLabel("Tệp danh sách").setInputFiles({
    name: "danh-sach.csv",
    mimeType: "text/csv",
    buffer: Buffer.from(csv, "utf-8"),
  });
  await page.getByRole("button", { name: "Kiểm tra và nhập" }).click();
  await expect(page.getByText("Chưa có dữ liệu nào được nhập")).toBeVisible();
  const row = page.getByRole("row").filter({ hasText: "ABC" });
  await expect(row).toContainText("3");
  await checkPage(page);

  await page.goto("/directory?q=thu+nghiem");
  await expect(page.getByText("Không có đơn vị nào khớp.")).toBeVisible();
});

test("an unknown address shows a 404 page", async ({ page }) => {
  const response = await page.goto("/khong-co-trang-nay");
  expect(response?.status()).toBe(404);
  await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
  await checkPage(page);
});

test("the language switch loads the page again in English and remembers it", async ({ page }) => {
  await page.goto("/directory");
  await page.getByRole("button", { name: "English" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Directory");
  await expect(page.locator("html")).toHaveAttribute("lang", "en");
  await checkPage(page);
  await page.reload();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Directory");
  // A search typed in the page's address is kept across the switch.
  await page.goto("/directory?q=S%C6%A1n");
  await page.getByRole("button", { name: "Tiếng Việt" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Danh bạ đơn vị");
  await expect(page.locator("html")).toHaveAttribute("lang", "vi");
  await expect(page).toHaveURL(/q=S%C6%A1n/);
});
