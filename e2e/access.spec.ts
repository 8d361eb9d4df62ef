import { expect, shot, signInByApi, signInByForm, test } from "./fixtures";
import { ProviderKeysPage } from "./pages/provider-keys-page";

test("a viewer sees the no-access page", async ({ page, users }) => {
  await page.goto("/llm-hub/provider-keys");
  await signInByForm(page, users.viewer);
  await expect(page.getByRole("heading", { name: "You do not have access to the LLM Hub" })).toBeVisible();
  await expect(page.getByText(`You are signed in as ${users.viewer.email} with the viewer role`)).toBeVisible();
  await expect(page.getByRole("navigation", { name: "LLM Hub sections" })).toHaveCount(0);
  await expect(page.getByRole("article")).toHaveCount(0);
  await shot(page, "10-no-access");
  await expect(page.locator("section.no-access[data-hydrated]")).toBeVisible(); // its button works only once hydrated
  await page.getByRole("button", { name: "Sign in with another account" }).click();
  await expect(page).toHaveURL(/\/login$/);
});

test("a signed-out visitor goes to sign-in and comes back; so does an expired session", async ({ page, users }) => {
  const tab = new ProviderKeysPage(page);
  await page.goto("/llm-hub/provider-keys");
  await expect(page).toHaveURL(/\/login\?next=%2Fllm-hub%2Fprovider-keys$/);
  await shot(page, "11-sign-in");
  await expect(page.locator("main.login form[data-hydrated]")).toBeVisible();
  await page.getByLabel("Email").fill(users.access.email);
  await page.getByLabel("Password").fill("not the password");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("main").getByRole("alert")).toContainText("Invalid");
  await signInByForm(page, users.access);
  await expect(tab.heading).toBeVisible();
  await expect(page).toHaveURL(/\/llm-hub\/provider-keys$/);
  await expect(page.getByRole("link", { name: "Provider Keys" })).toHaveAttribute("aria-current", "page");

  // The session ends behind the page's back: the next action goes to sign-in, and back. (Wait for
  // the page's own first reads, the bell's count among them, or one of those would get there first.)
  await expect(page.locator("section.provider-keys[data-hydrated]")).toBeVisible();
  await page.waitForLoadState("networkidle");
  await page.context().clearCookies();
  await tab.testButton("Mistral AI").click();
  await expect(page).toHaveURL(/\/login\?next=%2Fllm-hub%2Fprovider-keys$/);
  await signInByForm(page, users.access);
  await tab.hydrated();

  // Sign out from the user menu.
  await page.getByRole("button", { name: `Account menu for ${users.access.email}` }).click();
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/login$/);
  await page.goto("/llm-hub/provider-keys");
  await expect(page).toHaveURL(/\/login\?next=/);
});

test("a signed-in user on the sign-in page goes straight on", async ({ page, users }) => {
  await signInByApi(page, users.access);
  await page.goto("/login?next=/llm-hub/provider-keys");
  await expect(page.getByRole("heading", { level: 1, name: "Provider Keys" })).toBeVisible();
  // never to another site
  await page.goto("/login?next=//evil.example.com/");
  await expect(page).toHaveURL(/\/llm-hub\/provider-keys$/);
});

test("sign-in never sends the browser to another site, however `next` is written", async ({ page, users, baseURL }) => {
  const app = new URL(baseURL!).origin;
  // where a browser that followed `next` would land (answered here: the tests run offline)
  await page.route(/^https?:\/\/evil\.example\//, (route) => route.fulfill({ contentType: "text/html", body: "<h1>phished</h1>" }));
  const tab = new ProviderKeysPage(page);
  // the form, after signing in: "/\t/evil.example/phish" is "//evil.example/phish" to a browser
  await page.goto("/login?next=%2F%09%2Fevil.example%2Fphish");
  await signInByForm(page, users.access);
  await expect(tab.heading).toBeVisible();
  expect(new URL(page.url()).origin).toBe(app);
  // the server, for an admin already signed in (the newline form used to answer 500)
  for (const next of ["%2F%09%2Fevil.example%2Fphish", "%2F%0A%2Fevil.example%2Fphish", "%2F.%2F%2Fevil.example"]) {
    await page.goto(`/login?next=${next}`);
    await expect(tab.heading).toBeVisible();
    expect(new URL(page.url()).origin, next).toBe(app);
  }
});

