import { expect, fakeKey, shot, signInByForm, test } from "./fixtures";
import { ProviderKeysPage } from "./pages/provider-keys-page";

test("add, test, replace with a rejected key, and delete an OpenRouter key", async ({ page, users, fakeUrl }) => {
  const tab = new ProviderKeysPage(page);
  await page.goto("/");
  await expect(page).toHaveURL(/\/login\?next=/);
  await signInByForm(page, users.crud);
  await tab.hydrated();
  await expect(page).toHaveURL(/\/llm-hub\/provider-keys$/);

  // Every built-in provider and the custom placeholder, at a glance.
  for (const name of ["OpenRouter", "OpenAI", "Anthropic", "Google AI", "Cohere", "Groq", "Together AI", "Mistral AI", "Custom Endpoint"]) {
    await expect(tab.row(name)).toBeVisible();
  }
  await expect(tab.source("OpenRouter")).toHaveText("Key source: Not set");
  await expect(tab.source("Mistral AI")).toHaveText("Key source: Environment");
  await shot(page, "01-tab-first-visit");

  // Add: password field with show/hide, a live format hint that warns without blocking.
  await tab.keyButton("OpenRouter").click();
  const keyInput = tab.dialog.getByLabel("API key");
  await expect(keyInput).toHaveAttribute("type", "password");
  await expect(tab.dialog.getByRole("link", { name: /^Create a key at OpenRouter/ })).toHaveAttribute("href", "https://openrouter.ai/keys");
  await keyInput.fill(fakeKey("sk-ant-api03-"));
  await expect(tab.dialog.getByText(/looks like an Anthropic key/)).toBeVisible();
  await tab.dialog.getByRole("button", { name: "Show key" }).click();
  await expect(keyInput).toHaveAttribute("type", "text");
  // the fake OpenRouter reports a capped key's credit for keys holding this marker
  const marker = `e2ecredit${Date.now().toString(36)}`;
  const good = fakeKey(`sk-or-v1-${marker}`);
  await page.request.post(`${fakeUrl}/__fake/credit?marker=${marker}&limit=20&remaining=3.2&reset=monthly`);
  await keyInput.fill(good);
  await expect(tab.dialog.getByText(/looks like an Anthropic key/)).toBeHidden();
  await tab.dialog.getByRole("button", { name: "Save and test" }).click();
  await expect(tab.dialog.getByText("Key added for OpenRouter")).toBeVisible();
  await expect(tab.dialog.getByText(/Key works: 346 models available, answered in \d+ ms/)).toBeVisible();
  await shot(page, "02-key-dialog-saved", { fullPage: false });
  await tab.done();

  await expect(tab.source("OpenRouter")).toHaveText("Key source: Database");
  await expect(tab.health("OpenRouter")).toHaveText("Health: Healthy");
  await expect(tab.row("OpenRouter").getByText(`sk-or-v...${good.slice(-4)}`)).toBeVisible();
  await expect(tab.row("OpenRouter").getByText(good)).toHaveCount(0);
  // what the check read of the key's credit, and when
  await expect(tab.row("OpenRouter")).toContainText(/Credit\s*\$3\.20 credit left of \$20\.00 \(monthly limit\) \(read just now\)/);
  await page.request.post(`${fakeUrl}/__fake/credit?marker=${marker}`);

  // Reopened, the dialog starts over: empty, hidden again.
  await tab.keyButton("OpenRouter").click();
  await expect(tab.dialog.getByLabel("API key")).toHaveValue("");
  await expect(tab.dialog.getByLabel("API key")).toHaveAttribute("type", "password");
  await page.keyboard.press("Escape");
  await expect(tab.dialog).toBeHidden();

  // Test: success with latency and model count, on the row.
  await tab.testButton("OpenRouter").click();
  await expect(tab.status("OpenRouter")).toContainText(/Key works: 346 models available, answered in \d+ ms/);
  await expect(tab.row("OpenRouter").getByRole("time").first()).toHaveText("just now");
  await shot(page, "03-test-success");

  // Refusing a failing key stores nothing.
  const rejected = fakeKey("sk-or-v1-", "invalid");
  await tab.saveKey("OpenRouter", rejected, { requireValid: true });
  await expect(tab.dialog.getByRole("alert")).toContainText("API key was not saved because its test failed: Invalid API key");
  await page.keyboard.press("Escape");
  await expect(tab.health("OpenRouter")).toHaveText("Health: Healthy");

  // Replace with a key the provider rejects: saved, and the row explains why it fails.
  await tab.saveKey("OpenRouter", rejected);
  await expect(tab.dialog.getByText("Key replaced for OpenRouter")).toBeVisible();
  await expect(tab.dialog.getByText("Invalid API key - authentication failed")).toBeVisible();
  await tab.done();
  await expect(tab.health("OpenRouter")).toHaveText("Health: Unhealthy");
  await expect(tab.status("OpenRouter")).toContainText("Invalid API key - authentication failed");
  await expect(tab.status("OpenRouter")).toContainText("Check that the whole key was copied");
  await shot(page, "04-invalid-key");

  // Delete with a confirmation that says what happens next; the row updates in place.
  await tab.deleteButton("OpenRouter").click();
  await expect(tab.dialog).toContainText("Delete the OpenRouter key?");
  await expect(tab.dialog).toContainText("OpenRouter will have no key until you add one");
  await shot(page, "05-delete-confirmation", { fullPage: false });
  await tab.dialog.getByRole("button", { name: "Delete key" }).click();
  await expect(tab.dialog).toBeHidden();
  await expect(tab.source("OpenRouter")).toHaveText("Key source: Not set");
  await expect(tab.deleteButton("OpenRouter")).toHaveCount(0);
  await expect(page.getByRole("status", { name: "Notifications" })).toContainText("Deleted the OpenRouter key");
});

test("deleting a stored key hands over to the environment key", async ({ page, users }) => {
  const tab = new ProviderKeysPage(page);
  await page.goto("/login?next=/llm-hub/provider-keys");
  await signInByForm(page, users.crud);
  await tab.hydrated();
  await expect(tab.source("Groq")).toHaveText("Key source: Environment");
  await tab.saveKey("Groq", fakeKey("gsk_"));
  await expect(tab.dialog.getByText("Key added for Groq")).toBeVisible();
  await tab.done();
  await expect(tab.source("Groq")).toHaveText("Key source: Database");

  // Slow the server actions down, to see the pending state.
  await page.route("**/llm-hub/provider-keys", async (route) => {
    if (route.request().method() === "POST") await new Promise((r) => setTimeout(r, 1000));
    await route.continue();
  });
  await tab.deleteButton("Groq").click();
  await expect(tab.dialog).toContainText("The environment key (GROQ_API_KEY) will take over for Groq.");
  await tab.dialog.getByRole("button", { name: "Delete key" }).click();
  await expect(tab.dialog.getByRole("button", { name: "Deleting…" })).toHaveAttribute("aria-disabled", "true");
  await expect(tab.status("Groq")).toContainText("Deleting…");
  await expect(tab.dialog).toBeHidden();
  await expect(tab.source("Groq")).toHaveText("Key source: Environment");
  await expect(tab.testButton("Groq")).toBeVisible();
});
