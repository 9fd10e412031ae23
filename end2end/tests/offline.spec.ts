import { expect, test } from "@playwright/test";
import { checkPage, fillQuarterlyReport, hydrated, openOneOffCycle, openReport, signIn } from "./helpers";

// A school's report form keeps working without a network: the service worker keeps the page
// and the school bundle, the form keeps the answers on the device, and a submission made
// offline is sent, once, when the network returns.

test("a report form opened once is filled and submitted offline, and reaches the server once the network returns", async ({
  page,
  browser,
}) => {
  test.setTimeout(150_000);
  const title = `Báo cáo khi mất mạng ${Date.now()}`;
  await openOneOffCycle(browser, page, title);

  const context = await browser.newContext({ viewport: page.viewportSize(), locale: "vi-VN" });
  const school = await context.newPage();
  await signIn(school, "truong");
  await openReport(school, title);
  await hydrated(school);
  // The signed scan goes up while there is a network.
  await school.getByLabel(/Báo cáo có chữ ký, đóng dấu/).setInputFiles({
    name: "ban-scan.pdf",
    mimeType: "application/pdf",
    buffer: Buffer.from("%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"),
  });
  await expect(school.getByRole("link", { name: /ban-scan\.pdf/ })).toBeVisible();
  const path = new URL(school.url()).pathname;
  // The service worker keeps the page (it asks for it once it has installed).
  await expect
    .poll(() => school.evaluate(async (kept) => Boolean(await caches.match(kept)), path), { timeout: 30_000 })
    .toBe(true);

  // Without a network the page opens from the device, ready to use.
  await context.setOffline(true);
  await school.reload();
  await hydrated(school);
  await expect(school.getByRole("heading", { level: 1 })).toBeVisible();
  await fillQuarterlyReport(school);
  await school.getByLabel("Kết quả đạt được").fill("Nhập khi mất mạng.");
  await school.getByLabel("Phương hướng, nhiệm vụ quý tới").fill("Duy trì tuyên truyền.");
  await school.getByRole("button", { name: "Nộp báo cáo" }).click();
  await expect(school.getByTestId("submit-queued")).toBeVisible();
  await checkPage(school);

  // The network returns: the submission goes by itself and the page says so.
  await context.setOffline(false);
  await expect(school.getByTestId("sent-later")).toBeVisible({ timeout: 45_000 });
  await expect(school.locator(".unit-meta .status").filter({ hasText: "Đã nộp" })).toBeVisible();
  await expect(school.getByText("Nhập khi mất mạng.")).toBeVisible();
  await expect(school.locator(".history li").filter({ hasText: "Nộp báo cáo" })).toHaveCount(1);
  await checkPage(school);

  // Signing out leaves nothing of the school on the device.
  await school.getByRole("button", { name: "Đăng xuất" }).click();
  await school.waitForURL((url) => url.pathname === "/sign-in");
  await expect
    .poll(() => school.evaluate(async () => (await caches.keys()).length + localStorage.length))
    .toBe(0);
  await context.close();
});
