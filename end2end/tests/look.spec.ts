import { test } from "@playwright/test";
import { hydrated, signIn } from "./helpers";

test("look", async ({ page }, testInfo) => {
  const tag = testInfo.project.name;
  await signIn(page, "lanhdao");
  await page.goto("/recognition");
  await hydrated(page);
  await page.screenshot({ path: `/tmp/look-r1-${tag}.png` });
  await page.locator("#decide-title").scrollIntoViewIfNeeded();
  await page.screenshot({ path: `/tmp/look-r2-${tag}.png` });
  await page.goto("/recognition?year=2025");
  await hydrated(page);
  await page.locator("#evaluation-title").scrollIntoViewIfNeeded();
  await page.screenshot({ path: `/tmp/look-r3-${tag}.png` });
  await page.locator("table a").first().click();
  await hydrated(page);
  await page.locator(".criterion").nth(2).scrollIntoViewIfNeeded();
  await page.screenshot({ path: `/tmp/look-a2-${tag}.png` });
  await signIn(page, "truong");
  await page.goto("/recognition");
  await hydrated(page);
  await page.screenshot({ path: `/tmp/look-s1-${tag}.png` });
});
