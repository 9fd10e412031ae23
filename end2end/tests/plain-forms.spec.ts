import { expect, test, type Browser, type Page } from "@playwright/test";
import {
  checkMarkup,
  checkPage,
  DEMO_PASSWORD,
  fillQuarterlyReport,
  hydrated,
  openOneOffCycle,
  openReport,
} from "./helpers";

// The report's forms work as plain HTML forms: with JavaScript off, and before the bundle has
// arrived.

const PDF = Buffer.from("%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n");

/** A page of its own with JavaScript off, signed in through the plain sign-in form. */
async function withoutScript(browser: Browser, page: Page, username: string): Promise<Page> {
  const context = await browser.newContext({
    viewport: page.viewportSize(),
    locale: "vi-VN",
    javaScriptEnabled: false,
  });
  const other = await context.newPage();
  await other.goto("/sign-in");
  await other.getByLabel("Tên đăng nhập hoặc e-mail").fill(username);
  await other.getByLabel("Mật khẩu").fill(DEMO_PASSWORD);
  await other.getByRole("button", { name: "Đăng nhập" }).click();
  await other.waitForURL((url) => url.pathname === "/");
  return other;
}

/** Holds back every wasm download of `page` until the returned function is called. */
async function holdWasm(page: Page): Promise<() => void> {
  let release: () => void = () => {};
  const released = new Promise<void>((resolve) => (release = resolve));
  await page.unroute("**/*.wasm");
  await page.route("**/*.wasm", async (route) => {
    await released;
    await route.continue();
  });
  return release;
}

test("with JavaScript off, a school files its report with the signed scan and the area officer accepts it", async ({
  page,
  browser,
}) => {
  test.setTimeout(120_000);
  const title = `Báo cáo không JavaScript ${Date.now()}`;
  await openOneOffCycle(browser, page, title);

  const school = await withoutScript(browser, page, "truong");
  await openReport(school, title);
  await checkMarkup(school);
  await fillQuarterlyReport(school);
  await school.getByLabel("Kết quả đạt được").fill("Tổ chức 4 buổi tuyên truyền dưới cờ.");
  await school.getByLabel("Phương hướng, nhiệm vụ quý tới").fill("Duy trì cổng trường an toàn.");

  // Submitted without the signed scan: the same page again, the answers kept, the problem at
  // its field, and the answers saved as a draft meanwhile.
  await school.getByRole("button", { name: "Nộp báo cáo" }).click();
  await expect(school.getByRole("alert").filter({ hasText: "chưa đính kèm" }).first()).toBeVisible();
  await expect(school.getByLabel("Kết quả đạt được")).toHaveValue("Tổ chức 4 buổi tuyên truyền dưới cờ.");
  await expect(school.getByLabel("Số lượt cán bộ, giáo viên, học sinh tham gia")).toHaveValue("1.250");
  await expect(school.getByRole("radio", { name: "Có" })).toBeChecked();
  await checkMarkup(school);
  const reportUrl = new URL(school.url()).pathname;
  await school.goto(reportUrl);
  await expect(school.getByLabel("Kết quả đạt được")).toHaveValue("Tổ chức 4 buổi tuyên truyền dưới cờ.");

  // With the scan, as one multipart post.
  await school.getByLabel(/Báo cáo có chữ ký, đóng dấu/).setInputFiles({
    name: "bao-cao-ky.pdf",
    mimeType: "application/pdf",
    buffer: PDF,
  });
  await school.getByRole("button", { name: "Nộp báo cáo" }).click();
  await expect(school.locator(".unit-meta .status").filter({ hasText: "Đã nộp" })).toBeVisible();
  await expect(school.getByRole("link", { name: /bao-cao-ky\.pdf/ })).toBeVisible();
  await expect(school.locator(".history li").filter({ hasText: "Nộp báo cáo" })).toHaveCount(1);
  await checkMarkup(school);

  // The area officer, also without JavaScript: returning needs a comment, accepting does not.
  const area = await withoutScript(browser, page, "khuvuc");
  await area.goto(reportUrl);
  await area.getByRole("button", { name: "Yêu cầu bổ sung" }).click();
  await expect(area.getByText("Hãy ghi rõ cần bổ sung gì để đơn vị sửa.")).toBeVisible();
  await checkMarkup(area);
  await area.getByRole("button", { name: "Duyệt", exact: true }).click();
  await expect(area.locator(".unit-meta .status").filter({ hasText: "Đã duyệt" })).toBeVisible();
  await checkMarkup(area);

  await school.reload();
  await expect(school.locator(".unit-meta .status").filter({ hasText: "Đã duyệt" })).toBeVisible();

  // The language switch is a plain form too: the same page comes back in English, and back.
  await school.getByRole("button", { name: "English" }).click();
  await expect(school.locator("html")).toHaveAttribute("lang", "en");
  expect(new URL(school.url()).pathname).toBe(reportUrl);
  await school.getByRole("button", { name: "Tiếng Việt" }).click();
  await expect(school.locator("html")).toHaveAttribute("lang", "vi");
  await school.context().close();
  await area.context().close();
});

test("a school types into its report before the bundle has arrived and submits: nothing is lost", async ({
  page,
  browser,
}) => {
  test.setTimeout(120_000);
  const title = `Báo cáo trước khi tải xong ${Date.now()}`;
  await openOneOffCycle(browser, page, title);

  // Without the service worker, which would answer the wasm from its cache, unseen by the
  // interception that holds it back.
  const context = await browser.newContext({
    viewport: page.viewportSize(),
    locale: "vi-VN",
    serviceWorkers: "block",
  });
  const school = await context.newPage();
  await school.goto("/sign-in");
  await school.getByLabel("Tên đăng nhập hoặc e-mail").fill("truong");
  await school.getByLabel("Mật khẩu").fill(DEMO_PASSWORD);
  await school.getByRole("button", { name: "Đăng nhập" }).click();
  await school.waitForURL((url) => url.pathname === "/");

  // The wasm is held back until released.
  const release = await holdWasm(school);
  await openReport(school, title);
  await fillQuarterlyReport(school);
  await school.getByLabel("Kết quả đạt được").fill("Gõ trước khi trang sẵn sàng.");

  // The bundle arrives and hydrates the form: what was typed stays, and is saved.
  release();
  await hydrated(school);
  await expect(school.getByLabel("Kết quả đạt được")).toHaveValue("Gõ trước khi trang sẵn sàng.");
  await expect(school.getByLabel("Số buổi tuyên truyền, phổ biến giáo dục pháp luật")).toHaveValue("4");
  await expect(school.locator("[data-state=saved]").filter({ hasText: "Đã lưu lúc" })).toBeVisible();
  await school.reload();
  await hydrated(school);
  await expect(school.getByLabel("Kết quả đạt được")).toHaveValue("Gõ trước khi trang sẵn sàng.");

  // Held back again: the form is submitted as a plain post, with the scan and a change typed
  // meanwhile.
  const reportUrl = new URL(school.url()).pathname;
  const releaseAgain = await holdWasm(school);
  await school.goto(reportUrl);
  await school.getByLabel("Phương hướng, nhiệm vụ quý tới").fill("Nộp khi trang chưa tải xong.");
  await school.getByLabel(/Báo cáo có chữ ký, đóng dấu/).setInputFiles({
    name: "scan.pdf",
    mimeType: "application/pdf",
    buffer: PDF,
  });
  await school.getByRole("button", { name: "Nộp báo cáo" }).click();
  await expect(school.locator(".unit-meta .status").filter({ hasText: "Đã nộp" })).toBeVisible();
  releaseAgain();
  await expect(school.getByText("Nộp khi trang chưa tải xong.")).toBeVisible();
  await expect(school.getByText("Gõ trước khi trang sẵn sàng.")).toBeVisible();
  await expect(school.locator(".history li").filter({ hasText: "Nộp báo cáo" })).toHaveCount(1);
  await checkPage(school);
  await context.close();
});

test("the bundle's files have hashed names, are cached for a year and arrive compressed in advance", async ({
  page,
  request,
}) => {
  await page.goto("/directory");
  const html = await page.content();
  // The stylesheet, and the script and wasm of the school, dashboard, movement and office
  // bundles.
  const names = [
    ...html.matchAll(/\/pkg\/antq(?:_dash|_movement|_office)?(?:_bg)?\.[0-9a-f]{16}\.(?:js|wasm|css)/g),
  ].map((m) => m[0]);
  expect(new Set(names).size, names.join(", ")).toBe(9);
  for (const name of new Set(names)) {
    for (const [accept, encoding] of [
      ["gzip, deflate, br", "br"],
      ["gzip", "gzip"],
    ]) {
      const response = await request.get(name, { headers: { "accept-encoding": accept } });
      expect(response.status()).toBe(200);
      expect(response.headers()["cache-control"]).toBe("public, max-age=31536000, immutable");
      expect(response.headers()["content-encoding"], `${name} ${accept}`).toBe(encoding);
    }
  }
  // The page itself is never kept by the browser.
  const response = await request.get("/sign-in");
  expect(response.headers()["cache-control"]).toBe("no-store");
});

test("with JavaScript off, a school marks a step of a plan done with its minutes, then removes them", async ({
  page,
  browser,
}) => {
  const school = await withoutScript(browser, page, "truong");
  await school.goto("/deployments");
  const checklist = school
    .locator("section.checklist")
    .filter({ hasText: "Triển khai phong trào toàn dân bảo vệ an ninh Tổ quốc năm 2026" });
  const step = checklist.locator("li.step").filter({ hasText: "Xây dựng kế hoạch của đơn vị" });
  const done = step.getByRole("checkbox", { name: /Xây dựng kế hoạch của đơn vị/ });
  const wasDone = await done.isChecked();
  await checkMarkup(school);

  // A file of a kind that is not accepted: the page comes back with the reason at the step
  // and the box as it was ticked.
  await done.check();
  await step.getByLabel(/Tệp minh chứng/).setInputFiles({
    name: "chuong-trinh.exe",
    mimeType: "application/octet-stream",
    buffer: Buffer.from("MZ"),
  });
  await step.getByRole("button", { name: /^Lưu/ }).click();
  await expect(step.getByRole("alert")).toContainText("Chỉ nhận tệp PDF");
  await expect(done).toBeChecked();

  // Done, with the minutes: the step shows its date and the file.
  await step.getByLabel(/Tệp minh chứng/).setInputFiles({
    name: "Kế hoạch của trường.pdf",
    mimeType: "application/pdf",
    buffer: PDF,
  });
  await step.getByRole("button", { name: /^Lưu/ }).click();
  await school.waitForURL(/\/deployments(#.*)?$/);
  const link = step.getByRole("link", { name: /Kế hoạch của trường\.pdf/ });
  await expect(link).toBeVisible();
  await expect(done).toBeChecked();
  await expect(step.locator(".step-date")).toHaveText(/\d{2}\/\d{2}\/\d{4}/);
  await checkMarkup(school);

  // Removed (the box says so before saving), and the step back as it was.
  await step.getByLabel("Xoá tệp này khi lưu").check();
  if (!wasDone) await done.uncheck();
  await step.getByRole("button", { name: /^Lưu/ }).click();
  await expect(link).toHaveCount(0);
  await expect(done).toBeChecked({ checked: wasDone });
  await school.context().close();
});

test("with JavaScript off, a school opens its yearly evaluation, answers it with an evidence file and finishes it", async ({
  page,
  browser,
}) => {
  const year = new Date().getFullYear();
  const school = await withoutScript(browser, page, "truongthcs");
  await school.goto("/recognition");
  await checkMarkup(school);
  const open = school.getByRole("button", { name: `Tự đánh giá phong trào năm ${year}` });
  // Both viewports share one database: the second finds the evaluation already open.
  if ((await open.count()) > 0) {
    await open.click();
  } else {
    await school.getByRole("link", { name: `Đánh giá, phân loại hằng năm — ${year}` }).click();
  }
  await school.waitForURL(/\/recognition\/\d+$/);
  await expect(school.getByRole("heading", { level: 1 })).toBeVisible();
  await checkMarkup(school);
  const finish = school.getByRole("button", { name: "Hoàn thành tự đánh giá" });
  if ((await finish.count()) > 0) {
    await expect(school.locator(".pipeline-current")).toHaveText("Đang tự đánh giá");
    // Finishing with items unanswered: the page again, the reason, what was typed kept.
    await school.getByLabel("Tự đánh giá tiêu chí 1.1").fill("15");
    await school.getByLabel("Tự đánh giá tiêu chí 1.2").fill("8");
    await finish.click();
    await expect(school.getByRole("alert").filter({ hasText: "Còn tiêu chí chưa tự đánh giá" })).toBeVisible();
    await expect(school.getByLabel("Tự đánh giá tiêu chí 1.2")).toHaveValue("8");
    await checkMarkup(school);
    // Answers and an evidence file in one press, then finishing.
    for (const [key, points] of [["1.1", "15"], ["1.2", "8"], ["2.1", "20"], ["2.3", "12"]]) {
      await school.getByLabel(`Tự đánh giá tiêu chí ${key}`).fill(points);
    }
    await school.getByLabel("Tự đánh giá tiêu chí 2.2").selectOption("yes");
    await school
      .locator("#file-item-1-1")
      .setInputFiles({ name: "bien-ban-1-1.pdf", mimeType: "application/pdf", buffer: PDF });
    await school.getByRole("button", { name: "Lưu tự đánh giá" }).click();
    await expect(school.getByRole("status").filter({ hasText: "Đã lưu." })).toBeVisible();
    await expect(school.getByRole("link", { name: /bien-ban-1-1\.pdf/ })).toBeVisible();
    await expect(school.getByLabel("Tự đánh giá tiêu chí 2.1")).toHaveValue("20");
    await school.getByRole("button", { name: "Hoàn thành tự đánh giá" }).click();
  }
  await expect(school.locator(".pipeline-current")).toHaveText("Đã tự đánh giá");
  await expect(school.locator(".outcome").first()).toContainText(/\d+\/100 điểm/);
  await checkMarkup(school);
  await school.context().close();
});
