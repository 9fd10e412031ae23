import { expect, test, type Page } from "@playwright/test";
import { checkPage, hydrated, isoInDays, pageAs, signIn } from "./helpers";

const PDF = Buffer.from("%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n");

/** Opens a one-off cycle for every school through the API, as the specialist. */
async function openCycle(specialist: Page, title: string): Promise<number> {
  const templates = await (await specialist.request.post("/api/reports/templates", { data: {} })).json();
  const quarterly = templates.find((t: { code: string }) => t.code === "antq_quy");
  const response = await specialist.request.post("/api/reports/create-cycles", {
    data: {
      cycle: {
        template: quarterly.id,
        title,
        period: { type: "ad_hoc", year: new Date().getFullYear(), label: title },
        rule: { type: "fixed", date: isoInDays(15) },
        on_time_until: null,
        locks_on: null,
        audience: { units: [], groups: [], levels: [], ownership: [], pilot_sites: false },
        plan: null,
        reminder_days: [],
      },
      series_year: null,
    },
  });
  expect(response.status()).toBe(200);
  return (await response.json())[0];
}

/** The school's report, filled, with its signed scan, submitted through the API. */
async function submitAsSchool(school: Page, cycle: number) {
  const me = await (await school.request.post("/api/accounts/me", { data: {} })).json();
  const unit = me.grants[0].unit.id;
  const upload = await school.request.post(`/reports/${cycle}/units/${unit}/files/ban_scan?name=scan.pdf`, {
    data: PDF,
  });
  expect(upload.status()).toBe(200);
  const view = await (await school.request.post("/api/reports/get", { data: { cycle, unit } })).json();
  return () =>
    school.request.post("/api/reports/submit", {
      data: {
        cycle,
        unit,
        version: view.version,
        key: `e2e-${cycle}`,
        answers: {
          tuyen_truyen_buoi: "3",
          tuyen_truyen_luot: "900",
          vu_bao_luc: "0",
          vi_pham_phap_luat: "0",
          ty_le_cam_ket: "97",
          to_an_ninh: "yes",
          tinh_hinh: "Ổn định",
          ket_qua: "Tuyên truyền dưới cờ.",
          phuong_huong: "Duy trì.",
        },
      },
    });
}

test("two dashboards change within a second of a school's submission, with no reload", async ({ page, browser }) => {
  test.setTimeout(120_000);
  const title = `Kỳ trực tiếp ${Date.now()}`;
  const specialist = await pageAs(browser, page, "chuyenvien");
  const cycle = await openCycle(specialist, title);

  // Two leadership screens on the same cycle.
  await signIn(page, "lanhdao");
  const screens = [page, specialist];
  for (const screen of screens) {
    await screen.goto(`/dashboard?cycle=${cycle}`);
    await hydrated(screen);
    await expect(screen.locator("[data-live=live]")).toBeVisible();
    await expect(screen.getByTestId("stat-submitted")).toContainText("đã nộp 0/");
  }
  await checkPage(page);

  // The school, in a third browser, submits: through another server process on the same
  // PostgreSQL database when SECOND_BASE_URL names one.
  const school = await pageAs(browser, page, "truong", process.env.SECOND_BASE_URL);
  const submit = await submitAsSchool(school, cycle);
  const before = await page.evaluate(() => performance.now());
  const response = await submit();
  expect(response.status()).toBe(200);
  await Promise.all(
    screens.map((screen) =>
      expect(screen.getByTestId("stat-submitted")).toContainText("đã nộp 1/", { timeout: 1000 }),
    ),
  );
  const took = (await page.evaluate(() => performance.now())) - before;
  expect(took).toBeLessThan(1500);
  // No reload happened: the page still holds what was set on it before.
  for (const screen of screens) {
    await expect(screen.locator("[data-live=live]")).toBeVisible();
  }
  await school.context().close();
  await specialist.context().close();

  // The school is no longer among the late units; the link of the view reproduces it.
  await expect(page.getByRole("list", { name: /Đơn vị chưa nộp/ })).toBeVisible();
  const url = page.url();
  await page.goto(url);
  await hydrated(page);
  await expect(page.getByTestId("stat-submitted")).toContainText("đã nộp 1/");
  await checkPage(page);
});

test("leadership drills from the province to an area and filters, and the view lives in the URL", async ({ page }) => {
  await signIn(page, "lanhdao");
  await page.getByRole("link", { name: "Bảng điều hành" }).first().click();
  await page.waitForURL((u) => u.pathname === "/dashboard");
  await hydrated(page);
  await expect(page.getByRole("heading", { level: 1, name: "Bảng điều hành phong trào" })).toBeVisible();
  await expect(page.getByRole("img", { name: /Số báo cáo đã nộp theo ngày/ })).toBeVisible();
  await expect(page.getByRole("img", { name: /Bản đồ tỉ lệ nộp báo cáo/ })).toBeVisible();
  await checkPage(page);

  // The table view of a chart opens with a tap.
  await page.getByText("Xem dạng bảng").first().click();
  await checkPage(page);

  // Drill into the first area of the breakdown.
  const table = page.getByTestId("breakdown-table");
  const first = table.getByRole("row").nth(1).getByRole("link");
  const area = (await first.textContent())?.trim() ?? "";
  await first.click();
  await page.waitForURL((u) => u.searchParams.has("area"));
  await hydrated(page);
  await expect(page.getByRole("navigation", { name: "Vị trí" })).toContainText(area);
  await expect(page.getByRole("heading", { name: "Theo trường" })).toBeVisible();
  await checkPage(page);

  // A level filter, kept in the address.
  await page.getByLabel("Cấp học").selectOption("THCS");
  await page.getByRole("button", { name: "Xem", exact: true }).click();
  await page.waitForURL((u) => u.searchParams.get("level") === "THCS");
  await hydrated(page);
  await expect(page.getByLabel("Cấp học")).toHaveValue("THCS");
  await checkPage(page);

  // The former districts.
  await page.goto("/dashboard?grouping=district&year=2025");
  await hydrated(page);
  await expect(page.getByTestId("breakdown-table")).toContainText("Huyện");
  await checkPage(page);
});

test("a school's dashboard puts its own reports first and shows only its school", async ({ page }) => {
  await signIn(page, "truong");
  await page.goto("/dashboard");
  await hydrated(page);
  await expect(page.getByRole("heading", { name: "Báo cáo cần nộp" })).toBeVisible();
  await expect(page.getByTestId("as-of")).toContainText("Trường");
  await checkPage(page);
});
