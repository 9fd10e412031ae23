import { expect, test } from "@playwright/test";
import { checkPage, DEMO_PASSWORD, hydrated, pageAs, signIn } from "./helpers";

const roles = [
  { username: "quantri", role: "Quản trị" },
  { username: "lanhdao", role: "Lãnh đạo Sở" },
  { username: "chuyenvien", role: "Chuyên viên Sở" },
  { username: "khuvuc", role: "Cán bộ khu vực" },
  { username: "truong", role: "Cán bộ trường" },
  { username: "truongthcs", role: "Cán bộ trường" },
  { username: "nguoixem", role: "Người xem" },
];

test("the sign-in page is what a signed-out visitor gets", async ({ page }) => {
  await page.goto("/directory");
  await expect(page.getByText("Hãy đăng nhập để xem trang này.")).toBeVisible();
  await page.goto("/sign-in");
  await checkPage(page);
  // The sign-in page needs no bundle: it is not sent one.
  expect(await page.locator("script[type=module]").count()).toBe(0);
  await page.getByLabel("Tên đăng nhập hoặc e-mail").fill("quantri");
  await page.getByLabel("Mật khẩu").fill("sai-mat-khau");
  await page.getByRole("button", { name: "Đăng nhập" }).click();
  await expect(page.getByRole("alert")).toContainText("Tên đăng nhập hoặc mật khẩu không đúng");
  await checkPage(page);
});

for (const { username, role } of roles) {
  test(`${role} (${username}) signs in, lands on their own home and signs out`, async ({ page }) => {
    await signIn(page, username);
    const greeting = page.locator(".greeting");
    await expect(greeting).toContainText("Xin chào");
    await expect(greeting).toContainText(role);
    await checkPage(page);
    await page.getByRole("button", { name: "Đăng xuất" }).click();
    await page.waitForURL(/\/sign-in/);
    await page.goto("/directory");
    await expect(page.getByText("Hãy đăng nhập để xem trang này.")).toBeVisible();
  });
}

test("a school officer typing another school's address is told they have no permission", async ({ page }) => {
  await signIn(page, "truong");
  const ownLink = page.locator(".greeting a").first();
  const ownHref = await ownLink.getAttribute("href");
  const ownId = Number(ownHref?.split("/").pop());
  const otherId = ownId === 200 ? 201 : 200;
  const response = await page.goto(`/units/${otherId}`);
  expect(response?.status()).toBe(403);
  await expect(page.getByRole("heading", { name: "Không có quyền truy cập" })).toBeVisible();
  await checkPage(page);
  await page.goto(ownHref ?? "/");
  await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
  await expect(page.getByText("Không có quyền truy cập")).toHaveCount(0);
});

test("the account page changes the password only when both entries match", async ({ page }) => {
  await signIn(page, "nguoixem");
  await page.goto("/account");
  await hydrated(page);
  await checkPage(page);
  await page.getByLabel("Mật khẩu hiện tại").fill(DEMO_PASSWORD);
  await page.getByLabel("Mật khẩu mới (ít nhất 10 ký tự)").fill("mat-khau-moi-2026");
  await page.getByLabel("Nhập lại mật khẩu mới").fill("mat-khau-khac-2026");
  await page.getByRole("button", { name: "Lưu" }).click();
  await expect(page.getByRole("alert")).toContainText("không khớp");
  await checkPage(page);
});

test("the administrator creates accounts for an area's schools and gets slips to print", async ({ browser, page }) => {
  // The area officer manages users but may not make school officers (they could do what he
  // cannot): the form is not offered to him.
  const area = await pageAs(browser, page, "khuvuc");
  const me = await (await area.request.post("/api/accounts/me", { data: {} })).json();
  const areaId = String(me.grants[0].unit.id);
  await area.goto("/users");
  await hydrated(area);
  await expect(area.getByRole("heading", { level: 1 })).toHaveText("Quản lý người dùng");
  await expect(area.getByText("Tạo tài khoản cho mọi trường")).toHaveCount(0);
  await area.context().close();

  await signIn(page, "quantri");
  await page.getByRole("link", { name: "Người dùng" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Quản lý người dùng");
  await hydrated(page);
  await checkPage(page);
  await page.getByText("Tạo tài khoản cho mọi trường").click();
  await page.locator("#bulk-unit").fill(areaId);
  await page.getByRole("button", { name: "Tạo các tài khoản" }).click();
  // The first run prints slips; a later one (the other viewport) says there is nothing to do.
  const slips = page.locator(".slips");
  const none = page.getByText("Mọi trường trong đơn vị đã có tài khoản");
  await expect(slips.or(none)).toBeVisible();
  await checkPage(page);
});

test("an administrator reads and filters the audit trail", async ({ page }) => {
  await signIn(page, "quantri");
  await page.getByRole("link", { name: "Nhật ký" }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Nhật ký thay đổi");
  await hydrated(page);
  await checkPage(page);
  await page.getByLabel("Thao tác").selectOption("sign_in");
  await page.getByRole("button", { name: "Tìm", exact: true }).click();
  await expect(page).toHaveURL(/action=sign_in/);
  const actions = page.locator(".data-table tbody tr td:nth-child(3)");
  await expect(actions.first()).toHaveText("Đăng nhập");
  // The unfiltered rows may still be shown for a moment: wait until none is left.
  await expect(actions.filter({ hasNotText: /^Đăng nhập$/ })).toHaveCount(0);
  for (const text of await actions.allTextContents()) expect(text).toBe("Đăng nhập");
  await checkPage(page);
});
