import { test } from "@playwright/test";
import { hydrated, signIn } from "./helpers";

test("look", async ({ page }, testInfo) => {
  const tag = testInfo.project.name;
  await signIn(page, "lanhdao");
  await page.goto("/recognition?year=2025");
  await hydrated(page);
  await page.locator("table a").first().click();
  await hydrated(page);
  await page.screenshot({ path: `/tmp/look-a1-${tag}.png` });
  await page.locator(".criterion").nth(2).scrollIntoViewIfNeeded();
  await page.screenshot({ path: `/tmp/look-a2-${tag}.png` });
  await page.locator("#dossier-title").scrollIntoViewIfNeeded();
  await page.screenshot({ path: `/tmp/look-a3-${tag}.png` });
});
