import { expect, fakeKey, shot, signInByApi, test } from "./fixtures";
import { ProviderKeysPage } from "./pages/provider-keys-page";

test("a key the provider starts rejecting shows up in the bell once, and again once when it recovers", async ({ page, users, fakeUrl }) => {
  const tab = new ProviderKeysPage(page);
  await signInByApi(page, users.alerts);
  const bell = page.getByRole("link", { name: /^Notifications/ });

  // start from nothing unread (other specs' keys may have raised alerts already)
  await page.goto("/llm-hub/notifications");
  await expect(page.locator("section.notifications[data-hydrated]")).toBeVisible();
  const markAll = page.getByRole("button", { name: "Mark all read" });
  if ((await markAll.getAttribute("aria-disabled")) !== "true") await markAll.click();
  await expect(page.getByRole("status").filter({ hasText: "Nothing unread." })).toBeVisible();
  await expect(bell).toHaveAccessibleName("Notifications, none unread");

  const marker = `e2ealert${Date.now().toString(36)}`;
  await tab.goto();
  await tab.saveKey("Cohere", fakeKey(marker));
  await expect(tab.dialog.getByText(/Key works/)).toBeVisible();
  await tab.done();
  await expect(tab.health("Cohere")).toHaveText("Health: Healthy");

  // the provider revokes the key: two failed tests, one alert
  await page.getByRole("radio", { name: "Last 7 days" }).check();
  await expect(tab.row("Cohere").getByRole("img", { name: /^Uptime, last 7 days: 100% *$/ })).toBeVisible();
  await page.getByRole("radio", { name: "Last 24 hours" }).check();
  await page.request.post(`${fakeUrl}/__fake/revoke?marker=${marker}`);
  try {
    for (let i = 0; i < 2; i++) {
      await tab.testButton("Cohere").click();
      await expect(tab.status("Cohere")).toContainText("Invalid API key");
      await expect(tab.testButton("Cohere")).toHaveAttribute("aria-disabled", "false");
    }
    await expect(tab.health("Cohere")).toHaveText("Health: Unhealthy");
    await expect(bell).toHaveAccessibleName("Notifications, 1 unread");
    await expect(bell.getByTestId("unread-count")).toHaveText("1");
    // the row's check history shows this hour as failing, and the last failure in words
    await expect(tab.row("Cohere").getByRole("img", { name: /^Uptime, last 24 hours: \d+(\.\d)?% \(1 hour with failures\)$/ })).toBeVisible();
    await expect(tab.row("Cohere")).toContainText(/Last failure\s*invalid key \(HTTP \d{3}\), (just now|\d+ minutes? ago)/);
    await shot(page, "10-bell-unread", { fullPage: false });
  } finally {
    await page.request.post(`${fakeUrl}/__fake/restore?marker=${marker}`);
  }

  // the key works again: one recovery alert
  await tab.testButton("Cohere").click();
  await expect(tab.status("Cohere")).toContainText("Key works");
  await expect(bell).toHaveAccessibleName("Notifications, 2 unread");

  await bell.click();
  await expect(page).toHaveURL(/\/llm-hub\/notifications$/);
  const list = page.getByRole("list", { name: "Notifications" });
  await expect(list.getByRole("article").first()).toHaveAccessibleName(/^Unread: Cohere: the key works again \(check took \d+ ms\)$/);
  await expect(list.getByRole("article").nth(1)).toContainText("Cohere: the key stopped working - Invalid API key - authentication failed");
  await shot(page, "11-notifications");
  await list.getByRole("article").first().getByRole("button", { name: "Mark read" }).click();
  await expect(bell).toHaveAccessibleName("Notifications, 1 unread");
  await markAll.click();
  await expect(bell).toHaveAccessibleName("Notifications, none unread");
});
