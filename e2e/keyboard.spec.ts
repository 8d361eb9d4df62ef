import { expect, fakeKey, shot, signInByApi, test } from "./fixtures";
import { ProviderKeysPage } from "./pages/provider-keys-page";
import { focusPlace, tabTo } from "./support/keyboard";

test("add, test and delete a key with the keyboard alone", async ({ page, users }) => {
  const tab = new ProviderKeysPage(page);
  await signInByApi(page, users.keyboard);
  // the specs share one app: another (the Hub Keys spec, the Usage spec) may have stored an OpenAI key
  const listed = (await (await page.request.get("/api/v1/llm/providers/keys")).json()) as { providers: { id: string; provider_type: string; key_source: string }[] };
  const openai = listed.providers.find((p) => p.provider_type === "openai");
  if (openai?.key_source === "database") expect((await page.request.delete(`/api/v1/llm/providers/keys/${openai.id}`)).status()).toBe(200);
  await tab.goto();

  // The first Tab offers the skip link.
  await page.keyboard.press("Tab");
  await expect(page.getByRole("link", { name: "Skip to content" })).toBeFocused();

  // Open the dialog: focus lands in the key field, and stays in the dialog whatever is tabbed.
  const addKey = tab.keyButton("OpenAI");
  await tabTo(page, addKey);
  await page.keyboard.press("Enter");
  await expect(tab.dialog).toBeVisible();
  const keyInput = tab.dialog.getByLabel("API key");
  await expect(keyInput).toBeFocused();
  await page.keyboard.type("sk-ant-api03-this-is-not-openai-0000000000");
  await expect(tab.dialog.getByText(/looks like an Anthropic key/)).toBeVisible();
  await page.keyboard.press("Tab");
  await expect(tab.dialog.getByRole("button", { name: "Show key" })).toBeFocused();
  await page.keyboard.press("Space");
  await expect(keyInput).toHaveAttribute("type", "text");
  // Tab cycles through the dialog (by way of the browser's own UI, as native modals do), never the page behind it.
  const places = [];
  for (let i = 0; i < 15; i++) {
    await page.keyboard.press("Tab");
    places.push(await focusPlace(tab.dialog));
  }
  expect(places).not.toContain("page");
  expect(places.filter((p) => p === "dialog").length).toBeGreaterThan(10);
  // Escape closes it and gives focus back to the button that opened it.
  await page.keyboard.press("Escape");
  await expect(tab.dialog).toBeHidden();
  await expect(addKey).toBeFocused();

  // Reopened, it starts over; type a key and submit with Enter.
  await page.keyboard.press("Enter");
  await expect(keyInput).toBeFocused();
  await expect(keyInput).toHaveValue("");
  await expect(keyInput).toHaveAttribute("type", "password");
  await page.keyboard.type(fakeKey("sk-proj-"));
  await page.keyboard.press("Enter");
  await expect(tab.dialog.getByText("Key added for OpenAI")).toBeVisible();
  await expect(tab.dialog.getByRole("button", { name: "Done" })).toBeFocused();
  await page.keyboard.press("Enter");
  await expect(tab.dialog).toBeHidden();
  await expect(tab.keyButton("OpenAI")).toBeFocused();
  await expect(tab.source("OpenAI")).toHaveText("Key source: Database");

  // Test it.
  await tabTo(page, tab.testButton("OpenAI"), { backwards: true });
  await page.keyboard.press("Enter");
  await expect(tab.status("OpenAI")).toContainText(/Key works: \d+ models? available, answered in \d+ ms/);
  await expect(tab.testButton("OpenAI")).toBeFocused();

  // Delete it: the confirmation opens on Cancel (the safe choice); Tab, then Enter, deletes.
  await tabTo(page, tab.deleteButton("OpenAI"));
  await page.keyboard.press("Enter");
  await expect(tab.dialog).toContainText("Delete the OpenAI key?");
  await expect(tab.dialog.getByRole("button", { name: "Cancel" })).toBeFocused();
  await page.keyboard.press("Tab");
  await expect(tab.dialog.getByRole("button", { name: "Delete key" })).toBeFocused();
  await shot(page, "12-keyboard-delete", { fullPage: false });
  await page.keyboard.press("Enter");
  await expect(tab.dialog).toBeHidden();
  await expect(tab.source("OpenAI")).toHaveText("Key source: Not set");
  // Focus is not lost to the page: it lands on the OpenAI row.
  await expect(tab.row("OpenAI")).toBeFocused();
});
