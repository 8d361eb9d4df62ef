import { randomBytes } from "node:crypto";
import type { Browser, Page } from "@playwright/test";
import { expect, shot, signInByApi, signInByForm, test } from "./fixtures";
import { AccountPage } from "./pages/account-page";
import { UsersPage } from "./pages/users-page";

const email = (what: string) => `e2e-${what}-${randomBytes(3).toString("hex")}@example.com`;
const password = () => `pw-${randomBytes(12).toString("hex")}`;

/** Another browser (its own cookies), telling itself apart by its User-Agent in the session lists. */
async function secondBrowser(browser: Browser, userAgent: string): Promise<Page> {
  const context = await browser.newContext({ baseURL: process.env.E2E_BASE_URL, userAgent });
  return context.newPage();
}

const pathOf = (p: Page) => {
  const { pathname, search } = new URL(p.url());
  return pathname + search;
};
const nav = (p: Page, name: string) => p.getByRole("navigation", { name: "LLM Hub sections" }).getByRole("link", { name });

/**
 * After their session was ended elsewhere, their next click on a section goes to sign-in, which
 * names where it was going (`next`). The bell polls every 30 s: when its poll meets the ended session
 * first, the page goes to sign-in by itself, naming the page it was on (`here`, taken before their
 * session ended). Either way the session is refused; returns the page sign-in will go back to.
 */
async function signedOutOnNextClick(theirs: Page, here: string, section: string, to: string): Promise<string> {
  // a click that finds the page already gone to sign-in has nothing to click: the URL says which happened
  await nav(theirs, section)
    .click({ timeout: 5_000 })
    .catch(() => {});
  await expect(theirs).toHaveURL((url) => url.pathname === "/login" && [to, here].includes(url.searchParams.get("next") ?? ""));
  return new URL(theirs.url()).searchParams.get("next")!;
}

test("add a user, who signs in elsewhere and picks a password; the admin signs that session out and their next click goes to sign-in", async ({ page, browser, users }) => {
  const tab = new UsersPage(page);
  await signInByApi(page, users.users);
  await tab.goto();
  await expect(tab.tab).toHaveAttribute("aria-current", "page");
  await expect(tab.card(users.users.email)).toContainText("(you)");

  const who = email("added");
  const oneTime = await tab.add(who, "Admin");
  expect(oneTime).toMatch(/^[\w-]{24}$/);
  const card = tab.card(who);
  await expect(card).toContainText("One-time password");
  await expect(card).not.toContainText(oneTime);

  // they sign in with it in a browser of their own: every page asks for their own password first
  const theirs = await secondBrowser(browser, "E2E second browser");
  try {
    await theirs.goto("/login");
    await signInByForm(theirs, { email: who, password: oneTime, role: "admin" });
    await expect(theirs.getByRole("heading", { level: 1, name: "Choose your password" })).toBeVisible();
    const account = new AccountPage(theirs);
    const own = password();
    await account.changePassword(oneTime, own);
    await expect(theirs.getByRole("heading", { level: 1, name: "Provider Keys" })).toBeVisible();

    // the admin sees that session, with where it came from, and signs it out
    await page.reload();
    await expect(page.locator("section.users[data-hydrated]")).toBeVisible();
    await expect(card).not.toContainText("One-time password");
    const sessions = await tab.sessions(who);
    const session = sessions.getByRole("listitem");
    await expect(session).toHaveCount(1);
    await expect(session).toContainText("E2E second browser");
    await shot(page, "users-sessions", { fullPage: false });
    let theirPage = pathOf(theirs);
    await session.getByRole("button", { name: "Sign out this session" }).click();
    await expect(card.getByRole("status").filter({ hasText: "Signed out that session." })).toBeVisible();
    await expect(card).toContainText("No live sessions");

    // their next click goes to sign-in, and back where they were going
    const back = await signedOutOnNextClick(theirs, theirPage, "Hub Keys", "/llm-hub/hub-keys");
    await signInByForm(theirs, { email: who, password: own, role: "admin" });
    await expect(theirs).toHaveURL((url) => url.pathname + url.search === back);
    if (back !== "/llm-hub/hub-keys") await nav(theirs, "Hub Keys").click();
    await expect(theirs.getByRole("heading", { level: 1, name: "Hub Keys" })).toBeVisible();

    // demoting them ends that session too; then remove them
    theirPage = pathOf(theirs);
    await card.getByRole("button", { name: "Make viewer" }).click();
    await expect(card.getByRole("status").filter({ hasText: `the sessions of ${who} have ended` })).toBeVisible();
    await signedOutOnNextClick(theirs, theirPage, "Webhooks", "/llm-hub/webhooks");
    await card.getByRole("button", { name: "Delete" }).click();
    await tab.dialog.getByRole("button", { name: "Delete user" }).click();
    await expect(card).toHaveCount(0);
  } finally {
    await theirs.context().close();
  }
});

test("reset a password by keyboard (one-time password shown once); the tab in dark at 375 px without sideways scrolling", async ({ page, users }) => {
  const tab = new UsersPage(page);
  await signInByApi(page, users.users);
  await tab.goto();
  // a viewer made here, to reset by keyboard
  const who = email("keyboard");
  await tab.add(who, "Viewer");
  const card = tab.card(who);
  await card.getByRole("button", { name: "Reset password" }).focus();
  await page.keyboard.press("Enter");
  await expect(tab.dialog.getByRole("button", { name: "Cancel" })).toBeFocused();
  await page.keyboard.press("Tab");
  await page.keyboard.press("Enter");
  await expect(tab.dialog.getByRole("heading", { name: "One-time password" })).toBeVisible();
  await expect(tab.dialog.getByLabel("One-time password")).toHaveText(/^[\w-]{24}$/);
  await page.keyboard.press("Escape");
  await expect(tab.dialog).toBeHidden();

  await page.emulateMedia({ colorScheme: "dark" });
  await page.setViewportSize({ width: 375, height: 812 });
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  expect(overflow, "the page does not scroll sideways at 375 px").toBeLessThanOrEqual(0);
  await shot(page, "users-375-dark");
  await card.getByRole("button", { name: "Delete" }).click();
  await tab.dialog.getByRole("button", { name: "Delete user" }).click();
  await expect(card).toHaveCount(0);
});

test("your account: see and end your own sessions, and change your password (the current one required; other sessions end)", async ({ page, browser, users }) => {
  // an account of its own, added by the admin through the API with a chosen password
  await signInByApi(page, users.users);
  const who = email("self");
  const first = password();
  const made = await page.request.post("/api/v1/users", { data: { email: who, role: "viewer", password: first } });
  expect(made.status(), await made.text()).toBe(201);
  await page.context().clearCookies();

  const other = await secondBrowser(browser, "E2E other browser");
  try {
    await other.goto("/login");
    await signInByForm(other, { email: who, password: first, role: "viewer" });
    await expect(other.getByRole("heading", { name: "You do not have access to the LLM Hub" })).toBeVisible();

    await page.goto("/login?next=%2Fllm-hub%2Faccount");
    await signInByForm(page, { email: who, password: first, role: "viewer" });
    const account = new AccountPage(page);
    await expect(page.getByRole("heading", { level: 1, name: "Your account" })).toBeVisible();
    await page.goto("/llm-hub/provider-keys");
    await account.open();
    await expect(account.sessions.getByRole("listitem")).toHaveCount(2);
    await expect(account.sessions.getByRole("listitem", { name: "This session" })).toBeVisible();
    const theirs = account.sessions.getByRole("listitem").filter({ hasText: "E2E other browser" });
    await theirs.getByRole("button", { name: "Sign out this session" }).click();
    await expect(account.sessions.getByRole("listitem")).toHaveCount(1);
    expect((await other.request.get("/api/v1/auth/me")).status()).toBe(401);

    await other.goto("/login");
    await signInByForm(other, { email: who, password: first, role: "viewer" });
    await page.reload();
    await expect(page.locator("section.account[data-hydrated]")).toBeVisible();
    await account.changePassword("not my password", "a-brand-new-passphrase");
    await expect(page.getByRole("alert").filter({ hasText: "current_password: is not your current password" })).toBeVisible();
    await account.changePassword(first, "a-brand-new-passphrase", "a-different-one!!");
    await expect(page.getByRole("alert").filter({ hasText: "differ" })).toBeVisible();
    await account.changePassword(first, "a-brand-new-passphrase");
    await expect(page.getByRole("status").filter({ hasText: "Password changed. Your other sessions have been signed out." })).toBeVisible();
    await expect(account.sessions.getByRole("listitem")).toHaveCount(1);
    await shot(page, "your-account", { fullPage: false });
    const res = await other.request.get("/api/v1/auth/me");
    expect(res.status()).toBe(401);
  } finally {
    await other.context().close();
  }
});
