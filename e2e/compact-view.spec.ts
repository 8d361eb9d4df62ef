import type { Page } from "@playwright/test";
import { expect, fakeKey, shot, signInByApi, test } from "./fixtures";
import { CompactViewPage } from "./pages/compact-view-page";
import { tabTo } from "./support/keyboard";

/** A custom endpoint on the fake provider, saved (and tested) through the REST API. */
async function addEndpoint(page: Page, name: string, baseUrl: string): Promise<void> {
  const res = await page.request.post("/api/v1/llm/providers/keys", {
    data: { provider_type: "custom", name, config: { base_url: baseUrl }, api_key: fakeKey("sk-") },
  });
  expect(res.status(), await res.text()).toBeLessThan(300);
}

test("compact view by mouse: remembered, grouped, filter → test → delete from the row's menu; light, dark, 375 px", async ({ page, users, fakeUrl }) => {
  const tab = new CompactViewPage(page);
  await signInByApi(page, users.looks);
  await addEndpoint(page, "Compact Mouse", `${fakeUrl}/custom/v1`);
  await tab.goto();
  await expect(tab.viewRadio("Cards")).toBeChecked();
  await tab.showCompact();

  // One row per provider, with its logo, facts and a menu; the choice survives a reload.
  const row = tab.compactRow("Compact Mouse");
  await expect(row).toContainText("Key source: Database");
  await expect(row).toContainText("Health: Healthy");
  await expect(row.locator(".provider-logo-custom")).toBeVisible();
  await page.reload();
  await expect(tab.table).toBeVisible();
  await expect(tab.viewRadio("Compact")).toBeChecked();

  // Providers without a key are folded into one group that opens on a click.
  await expect(tab.notSetUp).toHaveAttribute("aria-expanded", "false");
  await expect(tab.compactRow("Custom Endpoint")).toHaveCount(0);
  await tab.notSetUp.click();
  await expect(tab.notSetUp).toHaveAttribute("aria-expanded", "true");
  await expect(tab.compactRow("Custom Endpoint")).toBeVisible();
  await shot(page, "40-compact-light");
  await tab.notSetUp.click();
  await expect(tab.compactRow("Custom Endpoint")).toHaveCount(0);

  // Find it by filter, test it from its menu.
  await tab.filter.fill("compact mouse");
  await expect(page.getByText(/^Showing 1 of \d+ providers\.$/)).toBeVisible();
  await tab.menuButton("Compact Mouse").click();
  await expect(tab.menu("Compact Mouse")).toBeVisible();
  await expect(tab.menu("Compact Mouse").getByRole("menuitem")).toHaveText(["Test key", "Replace key", "Edit", "Delete endpoint"]);
  await shot(page, "41-compact-menu-light", { fullPage: false });
  await tab.menuItem("Compact Mouse", "Test key").click();
  await expect(tab.menu("Compact Mouse")).toBeHidden();
  await expect(tab.compactStatus("Compact Mouse")).toContainText("Key works");
  await expect(tab.menuButton("Compact Mouse")).toBeFocused();

  // A click elsewhere closes an open menu.
  await tab.menuButton("Compact Mouse").click();
  await page.getByRole("heading", { level: 1, name: "Provider Keys" }).click();
  await expect(tab.menu("Compact Mouse")).toBeHidden();

  await page.emulateMedia({ colorScheme: "dark" });
  await tab.filter.fill("");
  await tab.notSetUp.click();
  await shot(page, "42-compact-dark");
  await page.emulateMedia({ colorScheme: "light" });

  // Delete it from its menu.
  await tab.filter.fill("compact mouse");
  await tab.menuButton("Compact Mouse").click();
  await tab.menuItem("Compact Mouse", "Delete endpoint").click();
  await expect(tab.dialog).toBeVisible();
  await expect(tab.dialog.getByRole("heading", { name: "Delete the Compact Mouse key?" })).toBeVisible();
  await tab.dialog.getByRole("button", { name: "Delete endpoint" }).click();
  await expect(tab.dialog).toBeHidden();
  await expect(page.getByText("No provider matches “compact mouse”.")).toBeVisible();

  // At 375 px the cards come back (the choice is kept for wider screens), without sideways scrolling.
  await tab.filter.fill("");
  await page.setViewportSize({ width: 375, height: 812 });
  await expect(tab.table).toBeHidden();
  await expect(tab.rows.first()).toBeVisible();
  await expect(tab.viewRadio("Compact")).toBeHidden();
  const scrollWidth = await page.evaluate(() => document.documentElement.scrollWidth);
  expect(scrollWidth, "no sideways scrolling at 375 px").toBeLessThanOrEqual(375);
  await page.evaluate(() => window.scrollTo(0, 0));
  await shot(page, "43-compact-choice-at-375", { fullPage: false });
  // From 960 px up the compact view is back, and fits the page's column (no sideways scrolling).
  for (const width of [960, 1200]) {
    await page.setViewportSize({ width, height: 900 });
    await expect(tab.table).toBeVisible();
    const fits = await tab.table.evaluate((t) => {
      const main = t.closest("main")!;
      return t.getBoundingClientRect().right <= main.getBoundingClientRect().right - parseFloat(getComputedStyle(main).paddingRight) + 0.5;
    });
    expect(fits, `the table fits the column at ${width} px`).toBe(true);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width);
  }
});

test("compact view by keyboard: switch, filter, open the group, test and delete from the row's menu", async ({ page, users, fakeUrl }) => {
  const tab = new CompactViewPage(page);
  await signInByApi(page, users.looks);
  await addEndpoint(page, "Compact Keys", `${fakeUrl}/custom/v1`);
  await tab.goto();

  // The view switch is a radio group: Tab reaches the chosen view, an arrow key picks the other.
  await tabTo(page, tab.viewRadio("Cards"));
  await page.keyboard.press("ArrowRight");
  await expect(tab.viewRadio("Compact")).toBeChecked();
  await expect(tab.table).toBeVisible();

  // The "Not set up" group opens with Enter and closes with Space.
  await tabTo(page, tab.notSetUp);
  await page.keyboard.press("Enter");
  await expect(tab.notSetUp).toHaveAttribute("aria-expanded", "true");
  await page.keyboard.press("Space");
  await expect(tab.notSetUp).toHaveAttribute("aria-expanded", "false");

  await tabTo(page, tab.filter, { backwards: true });
  await page.keyboard.type("compact keys");
  const button = tab.menuButton("Compact Keys");
  await tabTo(page, button);
  await expect(button).toHaveAttribute("aria-expanded", "false");

  // Enter opens the menu on its first item; Enter on it tests, closes, and gives focus back.
  await page.keyboard.press("Enter");
  await expect(button).toHaveAttribute("aria-expanded", "true");
  await expect(tab.menuItem("Compact Keys", "Test key")).toBeFocused();
  await page.keyboard.press("Enter");
  await expect(tab.menu("Compact Keys")).toBeHidden();
  await expect(button).toBeFocused();
  await expect(tab.compactStatus("Compact Keys")).toContainText("Key works");

  // Down opens on the first item; arrows wrap, End and Home jump, a letter finds its item; Escape closes.
  await page.keyboard.press("ArrowDown");
  await expect(tab.menuItem("Compact Keys", "Test key")).toBeFocused();
  await page.keyboard.press("ArrowUp");
  await expect(tab.menuItem("Compact Keys", "Delete endpoint")).toBeFocused();
  await page.keyboard.press("ArrowDown");
  await expect(tab.menuItem("Compact Keys", "Test key")).toBeFocused();
  await page.keyboard.press("End");
  await expect(tab.menuItem("Compact Keys", "Delete endpoint")).toBeFocused();
  await page.keyboard.press("Home");
  await page.keyboard.press("e");
  await expect(tab.menuItem("Compact Keys", "Edit")).toBeFocused();
  await page.keyboard.press("Escape");
  await expect(tab.menu("Compact Keys")).toBeHidden();
  await expect(button).toBeFocused();

  // Tab out of an open menu closes it.
  await page.keyboard.press("Enter");
  await expect(tab.menu("Compact Keys")).toBeVisible();
  await page.keyboard.press("Tab");
  await expect(tab.menu("Compact Keys")).toBeHidden();

  // Up opens on the last item: delete, confirmed in the dialog (which opens on Cancel).
  await tabTo(page, button, { backwards: true });
  await page.keyboard.press("ArrowUp");
  await expect(tab.menuItem("Compact Keys", "Delete endpoint")).toBeFocused();
  await page.keyboard.press("Enter");
  await expect(tab.dialog).toBeVisible();
  await expect(tab.dialog.getByRole("button", { name: "Cancel" })).toBeFocused();
  await page.keyboard.press("Tab");
  await expect(tab.dialog.getByRole("button", { name: "Delete endpoint" })).toBeFocused();
  await page.keyboard.press("Enter");
  await expect(tab.dialog).toBeHidden();
  await expect(page.getByText("No provider matches “compact keys”.")).toBeVisible();
  // the row (and its menu button) are gone: focus lands on the tab's heading, not on the page's body
  await expect(tab.heading).toBeFocused();
});

test("compact view: a failed download of its code says so, and Cards still works", async ({ page, users }) => {
  const tab = new CompactViewPage(page);
  await signInByApi(page, users.looks);
  await tab.goto();
  // Everything the page needed is loaded; from here on, code chunks fail as when offline.
  await page.route("**/_next/static/chunks/**", (route) => route.abort("internetdisconnected"));
  await tab.viewRadio("Compact").check();
  await expect(page.getByRole("alert").filter({ hasText: "The compact view could not be loaded." })).toBeVisible();
  await tab.viewRadio("Cards").check();
  await expect(tab.rows.first()).toBeVisible();
});
