import { startFakeProvider } from "../test/fake-provider/server";
import { expect, fakeKey, shot, signInByApi, test } from "./fixtures";
import { ProviderKeysPage } from "./pages/provider-keys-page";

test("add a custom endpoint, rename it without its key, move it to another host with the key, disable it, and find it among many", async ({ page, users, fakeUrl }) => {
  const tab = new ProviderKeysPage(page);
  await signInByApi(page, users.custom);
  await tab.goto();
  const baseUrl = `${fakeUrl}/custom/v1`;
  const key = fakeKey("lab-");

  await tab.addCustomEndpoint("Lab vLLM", baseUrl, key);
  await expect(tab.dialog.getByText("Key added for Lab vLLM")).toBeVisible();
  await expect(tab.dialog.getByText(/Key works/)).toBeVisible();
  await tab.done();
  await expect(tab.row("Lab vLLM")).toContainText(`OpenAI-compatible endpoint at ${baseUrl}`);
  await expect(tab.source("Lab vLLM")).toHaveText("Key source: Database");
  await expect(tab.health("Lab vLLM")).toHaveText("Health: Healthy");
  const preview = `${key.slice(0, 7)}...${key.slice(-4)}`;
  await expect(tab.row("Lab vLLM").getByText(preview)).toBeVisible();

  // Edit: the key is not asked for; only the name changes.
  await tab.editButton("Lab vLLM").click();
  await expect(tab.dialog.getByLabel("API key")).toHaveCount(0);
  await expect(tab.dialog).toContainText("The stored key is kept");
  await expect(tab.dialog.getByLabel("Base URL")).toHaveValue(baseUrl);
  await tab.dialog.getByLabel("Name").fill("Lab vLLM (GPU)");
  await shot(page, "06-edit-dialog", { fullPage: false });
  await tab.dialog.getByRole("button", { name: "Save changes" }).click();
  await expect(tab.dialog).toBeHidden();
  await expect(tab.row("Lab vLLM (GPU)").getByText(preview)).toBeVisible();
  await expect(tab.row("Lab vLLM")).toHaveCount(0);

  // Move it: a new path on the same host keeps the key; another host asks for it again, and only the
  // key entered there goes there (a second fake provider stands for the other host).
  const otherHost = await startFakeProvider({ port: 0 });
  try {
    const movedUrl = `${otherHost.url}/custom/v1`;
    await tab.editButton("Lab vLLM (GPU)").click();
    const url = tab.dialog.getByLabel("Base URL");
    await url.fill(`${fakeUrl}/custom/v2`);
    await expect(tab.dialog.getByLabel("API key")).toHaveCount(0);
    await expect(tab.dialog).toContainText("The stored key is kept");
    await url.fill(movedUrl);
    await expect(tab.dialog).toContainText(`This moves the endpoint to another host (${otherHost.url}, was ${fakeUrl})`);
    await expect(tab.dialog).toContainText("only ever sent to the host it was entered for");
    await tab.dialog.getByRole("button", { name: "Save changes" }).click();
    await expect(tab.dialog.getByRole("alert")).toHaveText(`API key: enter the key again to move this endpoint to ${otherHost.url}`);
    await expect(tab.dialog.getByLabel("API key")).toBeFocused();
    const movedKey = fakeKey("lab-moved-");
    await tab.dialog.getByLabel("API key").fill(movedKey);
    await shot(page, "06b-edit-dialog-new-host", { fullPage: false });
    await tab.dialog.getByRole("button", { name: "Save changes" }).click();
    await expect(tab.dialog).toBeHidden();
    await expect(tab.row("Lab vLLM (GPU)")).toContainText(`OpenAI-compatible endpoint at ${movedUrl}`);
    await expect(tab.row("Lab vLLM (GPU)").getByText(`${movedKey.slice(0, 7)}...${movedKey.slice(-4)}`)).toBeVisible();
    expect(otherHost.requests, "something reached the new host before the move").toEqual([]);
    await tab.testButton("Lab vLLM (GPU)").click();
    await expect(tab.health("Lab vLLM (GPU)")).toHaveText("Health: Healthy");
    // the fake records key lengths, never keys: the new key (longer than the old one) went there
    expect(otherHost.requests.map((r) => r.keyLength)).toEqual([movedKey.length]);
  } finally {
    await otherHost.close();
  }

  // Disable it.
  await tab.editButton("Lab vLLM (GPU)").click();
  await tab.dialog.getByLabel("Enabled").uncheck();
  await tab.dialog.getByRole("button", { name: "Save changes" }).click();
  await expect(tab.dialog).toBeHidden();
  await expect(tab.row("Lab vLLM (GPU)").getByText("Status: Disabled")).toBeVisible();
  await expect(page.getByRole("status", { name: "Notifications" })).toContainText("Saved changes to Lab vLLM (GPU) (disabled)");

  // A second endpoint; then filter and sort.
  await tab.addCustomEndpoint("Staging proxy", baseUrl, fakeKey("stg-"));
  await expect(tab.dialog.getByText("Key added for Staging proxy")).toBeVisible();
  await tab.done();
  await page.getByLabel("Filter providers").fill("gpu");
  await expect(tab.rows).toHaveCount(1);
  await expect(tab.row("Lab vLLM (GPU)")).toBeVisible();
  await expect(page.getByText(/Showing 1 of \d+ providers/)).toBeVisible();
  await page.getByLabel("Filter providers").fill("zzz-nothing");
  await expect(page.getByText("No provider matches “zzz-nothing”.")).toBeVisible();
  await page.getByLabel("Filter providers").fill("");
  await page.getByLabel("Sort by").selectOption("name");
  const names = await tab.rows.getByRole("heading").allTextContents();
  expect(names).toEqual([...names].sort((a, b) => a.localeCompare(b)));
  await shot(page, "07-custom-endpoints");
});
