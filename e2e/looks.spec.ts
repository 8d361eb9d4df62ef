import { copyFileSync, mkdirSync } from "node:fs";
import { expect, fakeKey, shot, signInByApi, test } from "./fixtures";
import { CompactViewPage } from "./pages/compact-view-page";
import { ProviderKeysPage } from "./pages/provider-keys-page";

/** Keys in several states, saved through the REST API (the UI paths have their own specs). */
async function seedStates(page: import("@playwright/test").Page) {
  const save = (provider_type: string, api_key: string) =>
    page.request.post("/api/v1/llm/providers/keys", { data: { provider_type, api_key } }).then((r) => expect(r.ok()).toBe(true));
  await save("anthropic", fakeKey("sk-ant-api03-"));
  await save("google", fakeKey("AIza", "nocredit"));
  await save("together", fakeKey("tgp_v1_", "ratelimit"));
}

test("the tab is server-rendered, readable in light and dark, and fits 375 px", async ({ page, users }) => {
  const tab = new ProviderKeysPage(page);
  await signInByApi(page, users.looks);
  await seedStates(page);

  // No flash of empty content: the server's HTML already lists the providers.
  const html = await (await page.request.get("/llm-hub/provider-keys")).text();
  expect(html).toContain("Anthropic");
  expect(html).toContain("sk-ant-");
  expect(html).not.toContain("Loading providers");

  await tab.goto();
  await expect(tab.health("Anthropic")).toHaveText("Health: Healthy");
  await expect(tab.health("Google AI")).toHaveText("Health: Unhealthy");
  await expect(tab.health("Together AI")).toHaveText("Health: Degraded");
  await expect(tab.status("Together AI")).toContainText("Rate limited by the provider");
  await shot(page, "13-tab-light");
  // The README's picture: the first screen, as an admin sees it on opening the tab.
  const light = await shot(page, "13b-tab-light-first-screen", { fullPage: false });
  if (process.env.UPDATE_DOCS_SCREENSHOT) {
    mkdirSync("docs", { recursive: true });
    copyFileSync(light, "docs/provider-keys-tab.png");
  }
  // The same keys in the compact view (the README's main picture), then back to the cards.
  const compact = new CompactViewPage(page);
  await compact.showCompact();
  await expect(compact.compactRow("Together AI")).toContainText("Health: Degraded");
  const compactShot = await shot(page, "13c-compact-light-first-screen", { fullPage: false });
  if (process.env.UPDATE_DOCS_SCREENSHOT) copyFileSync(compactShot, "docs/provider-keys-compact.png");
  await compact.viewRadio("Cards").check();
  await expect(tab.rows.first()).toBeVisible();

  await page.emulateMedia({ colorScheme: "dark" });
  await shot(page, "14-tab-dark");
  await tab.keyButton("Cohere").click();
  await page.getByLabel("API key").fill("short");
  await shot(page, "15-key-dialog-dark", { fullPage: false });
  await page.keyboard.press("Escape");

  await page.setViewportSize({ width: 375, height: 812 });
  await page.evaluate(() => window.scrollTo(0, 0));
  await shot(page, "16-tab-375-dark", { fullPage: false });
  await page.emulateMedia({ colorScheme: "light" });
  const scrollWidth = await page.evaluate(() => document.documentElement.scrollWidth);
  expect(scrollWidth, "no sideways scrolling at 375 px").toBeLessThanOrEqual(375);
  await shot(page, "17-tab-375-light", { fullPage: false });
  await tab.row("Together AI").scrollIntoViewIfNeeded();
  await shot(page, "17b-row-375-light", { fullPage: false });
  await tab.keyButton("Cohere").click();
  await expect(tab.dialog).toBeVisible();
  await shot(page, "18-key-dialog-375", { fullPage: false });
  await page.keyboard.press("Escape");
  await page.getByRole("button", { name: `Account menu for ${users.looks.email}` }).click();
  await expect(page.getByRole("button", { name: "Sign out" })).toBeVisible();
  await shot(page, "19-user-menu-375", { fullPage: false });
});
