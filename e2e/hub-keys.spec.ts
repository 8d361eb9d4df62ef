import OpenAI from "openai";
import { expect, fakeKey, shot, signInByApi, test } from "./fixtures";
import { HubKeysPage } from "./pages/hub-keys-page";
import { focusPlace, tabTo } from "./support/keyboard";

const HUB_KEYS = "/api/v1/llm/hub-keys";
const say = (client: OpenAI) => client.chat.completions.create({ model: "openai/gpt-4o-mini", messages: [{ role: "user", content: "Say hello there" }] });
const preview = (key: string) => `${key.slice(0, 10)}…${key.slice(-4)}`;

/** An OpenAI SDK client on the base URL the tab's TypeScript example names (so the example is tested too). */
function sdkFrom(example: string, key: string): OpenAI {
  const baseURL = /baseURL: "([^"]+)"/.exec(example)?.[1];
  expect(baseURL, example).toBeTruthy();
  return new OpenAI({ baseURL, apiKey: key, maxRetries: 0 });
}

async function refusedBy(client: OpenAI): Promise<void> {
  const err = await say(client).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(OpenAI.AuthenticationError);
  expect((err as InstanceType<typeof OpenAI.AuthenticationError>).code).toBe("invalid_hub_key");
}

test("create a hub key, use it with the OpenAI SDK, see its usage, rotate, disable, edit and delete it", async ({ page, context, users, baseURL }) => {
  await context.grantPermissions(["clipboard-read", "clipboard-write"]);
  const tab = new HubKeysPage(page);
  await signInByApi(page, users.hubKeys);
  const saved = await page.request.post("/api/v1/llm/providers/keys", { data: { provider_type: "openai", api_key: fakeKey("sk-proj-") } });
  expect(saved.ok(), await saved.text()).toBe(true);

  await tab.goto();
  await expect(tab.tab).toHaveAttribute("aria-current", "page");
  await expect(tab.emptyState).toBeVisible();

  // a bad field is named in the form's words, and the dialog stays open to fix it
  await tab.createButton.click();
  await tab.fillAndSubmit({ name: "billing-app", owner: "team billing", allowed: "open%ai/*" }, "Create key");
  await expect(tab.dialog.getByRole("alert")).toHaveText("Allowed models (pattern 1): must start with a route (a provider type or custom endpoint slug), e.g. 'openai/*'");
  await tab.fillAndSubmit({ allowed: "openai/*", budget: "5" }, "Create key");
  const key = await tab.shownKey();
  expect(key).toMatch(/^llmhub_[0-9A-Za-z]{40}$/);
  await tab.dialog.getByRole("button", { name: "Copy key" }).click();
  await expect(tab.dialog.getByText("Copied.")).toBeVisible();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(key);
  const curl = await tab.example("curl");
  expect(curl).toContain(`curl ${baseURL}/api/v1/llm/gateway/v1/chat/completions`);
  expect(curl).toContain(`Authorization: Bearer ${key}`);
  expect(await tab.example("Python (Anthropic SDK)")).toContain(`base_url="${baseURL}/api/v1/llm/gateway/native/anthropic"`);
  const example = await tab.example("TypeScript (OpenAI SDK)");
  await shot(page, "30-hub-key-once", { fullPage: false });
  await tab.done();

  await expect(tab.status("billing-app")).toHaveText("Status: Active");
  await expect(tab.fact("billing-app", "Key")).toHaveText(preview(key));
  await expect(tab.card("billing-app")).not.toContainText(key);
  await expect(tab.fact("billing-app", "Requests this month")).toHaveText("0");
  await expect(tab.fact("billing-app", "Last used")).toHaveText("Never");
  await expect(tab.fact("billing-app", "Use for")).toHaveText("Gateway");

  // the key works with the official SDK, and its requests show up in the list
  const sdk = sdkFrom(example, key);
  for (let i = 0; i < 2; i++) expect((await say(sdk)).choices[0]?.message.content).toBeTruthy();
  await expect(async () => {
    await tab.refreshButton.click();
    await expect(tab.fact("billing-app", "Requests this month")).toHaveText("2", { timeout: 1_000 });
  }).toPass({ timeout: 15_000 });
  await expect(tab.fact("billing-app", "Last used")).toHaveText("just now");
  await expect(tab.fact("billing-app", "Spend this month")).toContainText("of $5.00");
  await expect(tab.card("billing-app").getByRole("meter", { name: "0% of the monthly budget used" })).toBeVisible();

  // rotate: the old key is refused at once, the new one works
  await tab.button("billing-app", "Rotate key").click();
  await expect(tab.dialog).toContainText(`A new key replaces ${preview(key)} at once`);
  await tab.dialog.getByRole("button", { name: "Rotate key" }).click();
  await expect(tab.dialog.getByRole("heading", { name: "New key" })).toBeVisible();
  const rotated = await tab.shownKey();
  expect(rotated).not.toBe(key);
  await tab.done();
  await expect(tab.fact("billing-app", "Key")).toHaveText(preview(rotated));
  await refusedBy(sdk);
  const sdk2 = new OpenAI({ baseURL: sdk.baseURL, apiKey: rotated, maxRetries: 0 });
  expect((await say(sdk2)).choices[0]?.message.content).toBeTruthy();

  // disable and enable
  await tab.button("billing-app", "Disable").click();
  await expect(tab.status("billing-app")).toHaveText("Status: Disabled");
  await refusedBy(sdk2);
  await tab.button("billing-app", "Enable").click();
  await expect(tab.status("billing-app")).toHaveText("Status: Active");
  expect((await say(sdk2)).choices[0]?.message.content).toBeTruthy();

  // edit: only what changed is sent; an emptied field is cleared
  await tab.button("billing-app", "Edit").click();
  await expect(tab.dialog.getByLabel("Monthly budget (USD)")).toHaveValue("5");
  await tab.fillAndSubmit({ owner: "team payments", budget: "", rpm: "60" }, "Save changes");
  await expect(tab.dialog).toBeHidden();
  await expect(tab.card("billing-app")).toContainText("Owner: team payments");
  await expect(tab.fact("billing-app", "Rate limit")).toHaveText("60 requests/min");
  await expect(tab.fact("billing-app", "Spend this month")).toContainText("(no budget)");

  // scopes: none ticked is named in the form's words; both are shown on the card
  await tab.button("billing-app", "Edit").click();
  const use = tab.dialog.getByRole("group", { name: "Use for" });
  await use.getByRole("checkbox", { name: /^Gateway/ }).uncheck();
  await tab.dialog.getByRole("button", { name: "Save changes" }).click();
  await expect(tab.dialog.getByRole("alert")).toHaveText("Use for: must hold at least one scope (gateway, ingest)");
  await use.getByRole("checkbox", { name: /^Gateway/ }).check();
  await use.getByRole("checkbox", { name: /^Ingest/ }).check();
  await tab.dialog.getByRole("button", { name: "Save changes" }).click();
  await expect(tab.dialog).toBeHidden();
  await expect(tab.fact("billing-app", "Use for")).toHaveText("Gateway, Usage ingest");

  // filter and sort
  const other = await page.request.post(HUB_KEYS, { data: { name: "analytics", owner: "data team" } });
  expect(other.status()).toBe(201);
  await tab.refreshButton.click();
  await expect(tab.card("analytics")).toBeVisible();
  await page.getByLabel("Filter hub keys").fill("payments");
  await expect(tab.card("analytics")).toBeHidden();
  await expect(page.getByText("Showing 1 of 2 hub keys.")).toBeVisible();
  await page.getByLabel("Status").selectOption("disabled");
  await expect(page.getByText("No hub key matches these filters.")).toBeVisible();
  await page.getByRole("button", { name: "Clear filters" }).click();
  await page.getByLabel("Sort by").selectOption("requests");
  await expect(page.getByRole("article")).toHaveCount(2);
  await expect(page.getByRole("article").first()).toHaveAccessibleName("billing-app");
  await page.getByLabel("Sort by").selectOption("name");
  await expect(page.getByRole("article").first()).toHaveAccessibleName("analytics");

  // a refresh that fails keeps the list and says why; a slow one says it is refreshing
  await page.route(`**${HUB_KEYS}`, async (route) => {
    await new Promise((r) => setTimeout(r, 800));
    await route.fulfill({ status: 503, contentType: "application/json", body: JSON.stringify({ detail: "Database unavailable - try again shortly", code: "unavailable" }) });
  });
  await tab.refreshButton.click();
  await expect(page.getByText("Refreshing…")).toBeVisible();
  // react-query tries a failed read three more times (1 s, 2 s, 4 s apart) before it reports it
  await expect(tab.banner).toHaveText("Could not refresh the list: Database unavailable - try again shortly Showing what was loaded before.", { timeout: 20_000 });
  await expect(tab.card("billing-app")).toBeVisible();
  await page.unroute(`**${HUB_KEYS}`);
  await tab.refreshButton.click();
  await expect(tab.banner).toBeHidden();

  // delete: the confirmation says what stops working
  await tab.button("billing-app", "Delete").click();
  await expect(tab.dialog).toContainText(`Every app using ${preview(rotated)} (team payments) is refused from now on`);
  await tab.dialog.getByRole("button", { name: "Delete key" }).click();
  await expect(tab.card("billing-app")).toBeHidden();
  await refusedBy(sdk2);
  await tab.button("analytics", "Delete").click();
  await tab.dialog.getByRole("button", { name: "Delete key" }).click();
  await expect(tab.emptyState).toBeVisible();
});

test("the whole Hub Keys flow by keyboard only", async ({ page, users }) => {
  const tab = new HubKeysPage(page);
  await signInByApi(page, users.hubKeysKeyboard);
  await tab.goto();

  await tabTo(page, tab.createButton);
  await page.keyboard.press("Enter");
  await expect(tab.dialog.getByLabel("Name")).toBeFocused();
  await page.keyboard.type("keyboard-app");
  await page.keyboard.press("Tab");
  await page.keyboard.type("team keys");
  await page.keyboard.press("Tab");
  await page.keyboard.type("openai/*, groq/*");
  await tabTo(page, tab.dialog.getByLabel("Requests per minute"));
  await page.keyboard.type("30");
  await page.keyboard.press("Enter"); // submits the form
  const key = await tab.shownKey();
  await expect(tab.dialog.getByRole("button", { name: "Done" })).toBeFocused();
  // pick another example with the arrow keys, as a radio group works
  await tabTo(page, tab.dialog.getByRole("radio", { name: "curl" }), { backwards: true });
  await page.keyboard.press("ArrowRight");
  await expect(tab.dialog.getByRole("radio", { name: "Python (OpenAI SDK)" })).toBeChecked();
  await expect(tab.dialog.getByLabel("Python (OpenAI SDK) example")).toContainText(`api_key="${key}"`);
  for (let i = 0; i < 12; i++) {
    await page.keyboard.press("Tab");
    expect(await focusPlace(tab.dialog)).not.toBe("page");
  }
  await page.keyboard.press("Escape");
  await expect(tab.dialog).toBeHidden();
  await expect(tab.createButton).toBeFocused();
  await expect(tab.fact("keyboard-app", "Rate limit")).toHaveText("30 requests/min");

  await tabTo(page, tab.button("keyboard-app", "Disable"));
  await page.keyboard.press("Enter");
  await expect(tab.status("keyboard-app")).toHaveText("Status: Disabled");
  await expect(tab.button("keyboard-app", "Enable")).toBeFocused();

  await tabTo(page, tab.button("keyboard-app", "Edit"), { backwards: true });
  await page.keyboard.press("Enter");
  await expect(tab.dialog.getByLabel("Name")).toBeFocused();
  await page.keyboard.press("ControlOrMeta+a");
  await page.keyboard.type("keyboard-app-2");
  await page.keyboard.press("Enter");
  await expect(tab.card("keyboard-app-2")).toBeVisible();

  await tabTo(page, tab.button("keyboard-app-2", "Rotate key"));
  await page.keyboard.press("Enter");
  await expect(tab.dialog.getByRole("button", { name: "Cancel" })).toBeFocused();
  await page.keyboard.press("Tab");
  await page.keyboard.press("Enter");
  const rotated = await tab.shownKey();
  expect(rotated).not.toBe(key);
  await page.keyboard.press("Enter"); // Done has the focus
  await expect(tab.dialog).toBeHidden();

  await tabTo(page, tab.button("keyboard-app-2", "Delete"));
  await page.keyboard.press("Enter");
  await expect(tab.dialog).toContainText("is refused from now on");
  await page.keyboard.press("Tab");
  await page.keyboard.press("Enter");
  await expect(tab.card("keyboard-app-2")).toBeHidden();
  // the Delete button went with its card: focus lands on Create, not on the page's body
  await expect(tab.createButton).toBeFocused();
});

test("Hub Keys in light and dark, at 375 px, and for viewers", async ({ page, users }) => {
  const tab = new HubKeysPage(page);
  await signInByApi(page, users.hubKeysLooks);
  const make = async (data: Record<string, unknown>) => {
    const res = await page.request.post(HUB_KEYS, { data });
    expect(res.status(), await res.text()).toBe(201);
    return (await res.json()) as { key: string; hub_key: { id: string } };
  };
  const budgeted = await make({ name: "billing-app", owner: "team billing", allowed: ["openai/*", "groq/llama-*"], rpm_limit: 120, monthly_budget_usd: 50 });
  const over = await make({ name: "support-bot", owner: "customer support", allowed: ["openai/*"], monthly_budget_usd: 50 });
  await make({ name: "analytics-batch-jobs-with-a-long-name", owner: "data platform team (nightly exports)" });
  const off = await make({ name: "legacy-crm", owner: "sales ops" });
  await page.request.patch(`${HUB_KEYS}/${off.hub_key.id}`, { data: { enabled: false } });
  const old = await make({ name: "hackathon-demo" });
  await page.request.patch(`${HUB_KEYS}/${old.hub_key.id}`, { data: { expires_at: "2026-01-01T00:00:00Z" } });
  // long prompts (the fake counts a token a word) so that each spend is well above the budget's 4-decimal precision
  const base = `${process.env.E2E_BASE_URL}/api/v1/llm/gateway/v1`;
  const long = (apiKey: string) => new OpenAI({ baseURL: base, apiKey, maxRetries: 0 }).chat.completions.create({ model: "openai/gpt-4o-mini", messages: [{ role: "user", content: "word ".repeat(8000) }] });
  await long(budgeted.key);
  for (let i = 0; i < 2; i++) await long(over.key);
  const spent = async (id: string, n: number) => {
    for (;;) {
      const m = ((await (await page.request.get(`${HUB_KEYS}/${id}`)).json()) as { hub_key: { this_month: { requests: number; cost_usd: number } } }).hub_key.this_month;
      if (m.requests >= n) return m.cost_usd;
      await new Promise((r) => setTimeout(r, 200));
    }
  };
  // budgets set from what was spent: one key at about 90% (warning), one at or just past 100% (refused)
  const budgetTo = async (id: string, spend: number, budget: number) => {
    const res = await page.request.patch(`${HUB_KEYS}/${id}`, { data: { monthly_budget_usd: budget } });
    expect(res.status(), await res.text()).toBe(200);
    const stored = ((await res.json()) as { hub_key: { monthly_budget_usd: number } }).hub_key.monthly_budget_usd;
    return `${Math.round((spend / stored) * 100)}% of the monthly budget used`;
  };
  const warnSpend = await spent(budgeted.hub_key.id, 1);
  const overSpend = await spent(over.hub_key.id, 2);
  expect(warnSpend).toBeGreaterThan(0.001);
  const warnLabel = await budgetTo(budgeted.hub_key.id, warnSpend, Number((warnSpend / 0.9).toFixed(4)));
  const overLabel = await budgetTo(over.hub_key.id, overSpend, Math.floor(overSpend * 10_000) / 10_000);

  await tab.goto();
  await expect(async () => {
    await tab.refreshButton.click();
    await expect(tab.fact("support-bot", "Requests this month")).toHaveText("2", { timeout: 1_000 });
  }).toPass({ timeout: 15_000 });
  await expect(tab.status("legacy-crm")).toHaveText("Status: Disabled");
  await expect(tab.status("hackathon-demo")).toHaveText("Status: Expired");
  expect(warnLabel).toMatch(/^(8[5-9]|9[0-5])% /);
  expect(overLabel).toMatch(/^1\d\d% /);
  await expect(tab.card("billing-app").getByRole("meter", { name: warnLabel })).toBeVisible();
  await expect(tab.card("support-bot").getByRole("meter", { name: overLabel })).toBeVisible();
  await shot(page, "31-hub-keys-light");
  await page.emulateMedia({ colorScheme: "dark" });
  await shot(page, "32-hub-keys-dark");
  await tab.createButton.click();
  await shot(page, "33-hub-key-create-dark", { fullPage: false });
  await page.keyboard.press("Escape");

  await page.setViewportSize({ width: 375, height: 812 });
  await page.evaluate(() => window.scrollTo(0, 0));
  await shot(page, "34-hub-keys-375-dark", { fullPage: false });
  await page.emulateMedia({ colorScheme: "light" });
  expect(await page.evaluate(() => document.documentElement.scrollWidth), "no sideways scrolling at 375 px").toBeLessThanOrEqual(375);
  await shot(page, "35-hub-keys-375-light");
  await tab.button("billing-app", "Rotate key").click();
  await tab.dialog.getByRole("button", { name: "Rotate key" }).click();
  await tab.shownKey();
  await shot(page, "36-hub-key-once-375", { fullPage: false });
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
  await tab.done();

  // a viewer has no access to the tab
  await page.context().clearCookies();
  await signInByApi(page, users.viewer);
  await page.goto("/llm-hub/hub-keys");
  await expect(page.getByRole("heading", { name: /access/i })).toBeVisible();
  expect(await page.content()).not.toContain("billing-app");
});
