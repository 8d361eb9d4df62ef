import { expect, shot, signInByApi, signInByForm, test } from "./fixtures";

test("the API reference: sign-in first, then every endpoint from the OpenAPI document, by keyboard, in both schemes and at 375 px", async ({ page, users }) => {
  // signed out: the page sends the browser to sign in, and back afterwards
  await page.goto("/docs/api");
  await expect(page).toHaveURL(/\/login\?next=%2Fdocs%2Fapi$/);
  await signInByForm(page, users.viewer);
  await expect(page).toHaveURL(/\/docs\/api$/);
  await expect(page).toHaveTitle("API reference · LLM Hub");
  await expect(page.getByRole("heading", { name: "LLM Hub API reference" })).toBeVisible();

  // the viewer renders the document: tags and operations the document holds (any signed-in user may read it)
  const doc = (await (await page.request.get("/api/v1/openapi.json")).json()) as { paths: Record<string, Record<string, { summary: string }>> };
  const operations = Object.values(doc.paths).flatMap((ops) => Object.values(ops));
  expect(operations.length).toBeGreaterThan(40);
  await expect(page.locator(".opblock")).toHaveCount(operations.length, { timeout: 30_000 });
  for (const summary of ["Issue a hub key", "List every provider, masked", "A chat completion through the hub (OpenAI-compatible)"]) {
    await expect(page.locator(".opblock-summary-description", { hasText: summary }).first()).toBeVisible();
  }

  // by keyboard: focus an operation's header and open it with Enter; its request body schema shows
  const createHubKey = page.locator(".opblock-post", { has: page.locator(".opblock-summary-description", { hasText: "Issue a hub key" }) });
  await createHubKey.locator("button.opblock-summary-control").focus();
  await page.keyboard.press("Enter");
  await expect(createHubKey.locator(".opblock-body")).toBeVisible();
  await expect(createHubKey.getByText("Strict body: unknown fields are refused.")).toBeVisible();
  await expect(createHubKey.getByText('"billing-app"').first(), "the request body's example").toBeVisible();
  await shot(page, "api-docs-light", { fullPage: false });

  await page.emulateMedia({ colorScheme: "dark" });
  await shot(page, "api-docs-dark", { fullPage: false });
  await page.setViewportSize({ width: 375, height: 800 });
  await expect(page.getByRole("heading", { name: "LLM Hub API reference" })).toBeVisible();
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow, "the page itself does not scroll sideways at 375 px").toBeLessThanOrEqual(0);
  await shot(page, "api-docs-375", { fullPage: false });
});

test("the document itself needs a session unless API_DOCS_PUBLIC is set", async ({ page, users }) => {
  const anonymous = await page.request.get("/api/v1/openapi.json");
  expect(anonymous.status()).toBe(401);
  await signInByApi(page, users.viewer);
  const res = await page.request.get("/api/v1/openapi.json");
  expect(res.status()).toBe(200);
  expect(((await res.json()) as { openapi: string }).openapi).toBe("3.1.0");
});
