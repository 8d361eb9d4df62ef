import { copyFileSync, mkdirSync, readFileSync } from "node:fs";
import OpenAI from "openai";
import type { Page } from "@playwright/test";
import { expect, fakeKey, shot, signInByApi, test } from "./fixtures";
import { UsagePage } from "./pages/usage-page";

// hour labels are local time: pin the zone and locale so the expected labels are known
test.use({ timezoneId: "UTC", locale: "en-US" });
// the second test reads the traffic the first one sends
test.describe.configure({ mode: "serial" });

/** Issues a hub key through the admin API. */
async function hubKey(page: Page, name: string): Promise<string> {
  const res = await page.request.post("/api/v1/llm/hub-keys", { data: { name, owner: "e2e usage" } });
  expect(res.status(), await res.text()).toBe(201);
  return (await res.json()).key as string;
}

/** n chat completions through the gateway with the official SDK. */
async function send(client: OpenAI, model: string, n: number): Promise<void> {
  for (let i = 0; i < n; i++) {
    const r = await client.chat.completions.create({ model, messages: [{ role: "user", content: `hello ${i}` }] });
    expect(r.object).toBe("chat.completion");
  }
}

const hourLabel = (ms: number) => {
  const d = new Date(Math.floor(ms / 3600_000) * 3600_000);
  return `${d.toLocaleDateString("en-US", { month: "short", day: "numeric", timeZone: "UTC" })}, ${d.toLocaleTimeString("en-US", { hour: "2-digit", minute: "2-digit", hourCycle: "h23", timeZone: "UTC" })}`;
};

test("traffic through the gateway shows up ranked, per hour, per grouping and range, and as CSV; light, dark, 375 px", async ({ page, users, baseURL }) => {
  const usage = new UsagePage(page);
  await signInByApi(page, users.usage);

  // a new hub: a past range with nothing in it shows how to send the first request
  await usage.goto("?range=custom&from=2021-01-01&to=2021-01-07");
  await expect(usage.emptyState).toBeVisible();
  await expect(usage.emptyState).toContainText(`${baseURL}/api/v1/llm/gateway/v1`);
  await expect(usage.emptyState).toContainText('curl http');
  await expect(usage.emptyState).toContainText("Authorization: Bearer <your hub key>");
  await shot(page, "30-usage-empty", { fullPage: false });

  // traffic: two hub keys, three providers (openai with a stored key, groq and mistral on the environment's)
  const save = await page.request.post("/api/v1/llm/providers/keys", { data: { provider_type: "openai", api_key: fakeKey("sk-proj-") } });
  expect(save.status(), await save.text()).toBeLessThan(300);
  const gateway = `${baseURL}/api/v1/llm/gateway/v1`;
  const billing = new OpenAI({ apiKey: await hubKey(page, "reports-app"), baseURL: gateway, maxRetries: 0 });
  const support = new OpenAI({ apiKey: await hubKey(page, "helpdesk-bot"), baseURL: gateway, maxRetries: 0 });
  const sentAt = Date.now();
  // the specs share one app, and others (the Hub Keys spec) send traffic too: what this hour held before
  const hourStart = new Date(Math.floor(sentAt / 3600_000) * 3600_000).toISOString();
  const before = (await (await page.request.get(`/api/v1/llm/usage/summary?group_by=provider&from=${hourStart}`)).json()) as { groups: { route: string; requests: number }[]; totals: { requests: number } };
  const had = (route: string) => before.groups.find((g) => g.route === route)?.requests ?? 0;
  await send(billing, "openai/gpt-4o-mini", 9);
  await send(billing, "groq/llama-3.1-8b-instant", 2);
  await send(support, "groq/llama-3.1-8b-instant", 3);
  await send(support, "mistral/mistral-small-latest", 2);
  // usage records are written in batches (about a second): wait until the API has them
  await expect.poll(async () => (await (await page.request.get(`/api/v1/llm/usage/summary?group_by=hub_key&from=${hourStart}`)).json()).totals.requests, { timeout: 20_000 }).toBeGreaterThanOrEqual(before.totals.requests + 16);

  // ranked by requests, in that order
  await usage.goto("?range=24h");
  await expect(usage.tab).toHaveAttribute("aria-current", "page");
  await expect(usage.chartTitle).toHaveText("Requests per hour, by provider");
  const ranked = (await usage.usedMost()).filter((l) => ["openai", "groq", "mistral"].includes(l));
  expect(ranked).toEqual(["openai", "groq", "mistral"]);
  await expect(usage.providerStats).toContainText("openai");

  // the chart's hour: its table row holds 9 / 5 / 2 for the hour the requests were sent in
  const table = await usage.chartTable();
  const row = table.getByRole("row", { name: new RegExp(`^${hourLabel(sentAt)}`) });
  await expect(row).toBeVisible();
  const headers = await table.locator("thead th").allTextContents();
  const cells = await row.locator("td").allTextContents();
  const at = (label: string) => cells[headers.indexOf(label) - 1];
  expect({ openai: at("openai"), groq: at("groq"), mistral: at("mistral") }).toEqual({ openai: String(had("openai") + 9), groq: String(had("groq") + 5), mistral: String(had("mistral") + 2) });
  await expect(page.locator(".chart-box .chart-bar").first()).toBeVisible();
  // by keyboard, the chart's tooltip opens on the latest hour with requests
  await page.getByRole("group", { name: /^Chart of requests per hour/ }).focus();
  await expect(page.locator(".chart-tooltip")).toContainText(hourLabel(sentAt));
  await expect(page.locator(".chart-tooltip")).toContainText(new RegExp(`Total\\s*${before.totals.requests + 16}\\b`));
  await page.keyboard.press("ArrowLeft");
  await expect(page.locator(".chart-tooltip")).not.toContainText(hourLabel(sentAt));
  await page.keyboard.press("ArrowRight");
  await expect(page.locator(".chart-tooltip")).toContainText(hourLabel(sentAt));
  await shot(page, "31-usage-light");
  if (process.env.UPDATE_DOCS_SCREENSHOT) {
    mkdirSync("docs", { recursive: true });
    copyFileSync(await shot(page, "31b-usage-light-first-screen", { fullPage: false }), "docs/usage-tab.png");
  }

  // switching the grouping changes the URL and the chart
  await usage.groupBy.selectOption({ label: "Hub key" });
  await expect(page).toHaveURL(/[?&]group=hub_key/);
  await expect(page).toHaveURL(/[?&]range=24h/);
  await expect(usage.chartTitle).toHaveText("Requests per hour, by hub key");
  await expect(page.getByRole("list", { name: "Legend" })).toContainText("reports-app");
  const byKey = (await usage.usedMost()).filter((l) => ["reports-app", "helpdesk-bot"].includes(l));
  expect(byKey).toEqual(["reports-app", "helpdesk-bot"]);

  // ... and the range: 30 days are drawn per day, with today's 16 requests (at least) in today's row
  await usage.range("30 days").check();
  await expect(page).toHaveURL(/[?&]range=30d/);
  await expect(usage.chartTitle).toHaveText("Requests per day, by hub key");
  const dayRow = (await usage.chartTable()).getByRole("row", { name: new RegExp(`^${new Date(sentAt).toLocaleDateString("en-US", { month: "short", day: "numeric", year: "numeric", timeZone: "UTC" })}`) });
  await expect(dayRow.locator("td").last()).toHaveText(/^\d+$/);
  expect(Number(await dayRow.locator("td").last().textContent())).toBeGreaterThanOrEqual(16);

  // the figure switch (tokens, cost) stays in the URL too
  await page.getByRole("radio", { name: "Tokens", exact: true }).check();
  await expect(page).toHaveURL(/[?&]metric=tokens/);
  await expect(usage.chartTitle).toHaveText("Tokens per day, by hub key");

  // the CSV of the current view has the same totals as the API
  const [download] = await Promise.all([page.waitForEvent("download"), usage.csvLink.click()]);
  expect(download.suggestedFilename()).toMatch(/^llmhub-usage-hub_key-.*\.csv$/);
  const csv = readFileSync((await download.path())!, "utf8").trim().split("\r\n");
  const header = csv[0]!.split(",");
  const sum = (col: string) => csv.slice(1).reduce((a, l) => a + Number(l.split(",")[header.indexOf(col)]), 0);
  const api = await (await page.request.get(`/api/v1/llm/usage/summary?${new URL(download.url()).searchParams}`)).json();
  expect({ requests: sum("requests"), input: sum("input_tokens"), output: sum("output_tokens") }).toEqual({ requests: api.totals.requests, input: api.totals.input_tokens, output: api.totals.output_tokens });
  await expect(usage.headline("Requests")).toHaveText(String(api.totals.requests));

  // dark, and 375 px without sideways scrolling
  await page.emulateMedia({ colorScheme: "dark" });
  await shot(page, "32-usage-dark");
  await page.setViewportSize({ width: 375, height: 800 });
  await expect.poll(() => page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
  await shot(page, "33-usage-375-dark");
  await page.emulateMedia({ colorScheme: "light" });
  await shot(page, "34-usage-375-light");
});

test("the error state offers a retry, and a Provider Keys card links to its usage", async ({ page, users }) => {
  const usage = new UsagePage(page);
  await signInByApi(page, users.usage);
  const dashboardUrl = (url: URL) => url.pathname === "/api/v1/llm/usage/dashboard";
  await page.route(dashboardUrl, (route) => route.fulfill({ status: 503, contentType: "application/json", body: JSON.stringify({ detail: "The database is unavailable. Try again shortly.", code: "unavailable" }) }));
  await usage.goto("?range=24h");
  // (Next's route announcer is an empty alert too: pick the one with words)
  await expect(page.getByRole("alert").filter({ hasText: "Could not load usage" })).toHaveText(/^Could not load usage: The database is unavailable\. Try again shortly\./);
  await page.unroute(dashboardUrl);
  await page.getByRole("button", { name: "Try again" }).click();
  await expect(usage.chartTitle).toBeVisible();

  // the OpenAI card counts its requests of the last 24 hours and links to the tab filtered to its key
  await page.goto("/llm-hub/provider-keys");
  const card = page.getByRole("article", { name: "OpenAI", exact: true });
  const link = card.getByRole("link", { name: /requests? through OpenAI in the last 24 hours/ });
  await expect(link).toContainText(/^\d+ requests?/);
  expect(Number((await link.textContent())!.match(/^(\d+)/)![1])).toBeGreaterThanOrEqual(9);
  await link.click();
  await expect(page).toHaveURL(/\/llm-hub\/usage\?range=24h&group=model&provider_key=[0-9a-f-]{36}$/);
  await expect(page.getByText("Only the requests through one provider key (openai).")).toBeVisible();
  expect((await usage.usedMost()).every((l) => l.startsWith("openai/"))).toBe(true);
});
