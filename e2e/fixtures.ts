import { mkdirSync } from "node:fs";
import { test as base, expect, type Page } from "@playwright/test";
import type { E2EUser, E2EUsers } from "./support/users";

const SCREENSHOTS = "test-results/e2e-screenshots";

/** The app under test and its users come from the global setup (E2E_* variables). */
export const test = base.extend<{ users: E2EUsers; fakeUrl: string; consoleErrors: void }>({
  baseURL: async ({}, use) => use(process.env.E2E_BASE_URL),
  // Every test fails on a script error or a console error (hydration mismatches included), and on
  // anything the Content-Security-Policy blocked on any page it visited. HTTP errors the app
  // expects and explains (a wrong password's 401) are not script errors.
  consoleErrors: [
    async ({ page }, use) => {
      const errors: string[] = [];
      page.on("pageerror", (err) => errors.push(`pageerror: ${err.message}`));
      page.on("console", (msg) => {
        if (msg.type() === "error" && !msg.text().startsWith("Failed to load resource")) errors.push(`console: ${msg.text()}`);
      });
      await page.exposeBinding("__e2eCspViolation", ({ frame }, v: string) => errors.push(`CSP violation on ${frame.url()}: ${v}`));
      await page.addInitScript(() => {
        document.addEventListener("securitypolicyviolation", (e) => {
          const report = (window as unknown as { __e2eCspViolation: (v: string) => void }).__e2eCspViolation;
          report(`${e.effectiveDirective} blocked ${e.blockedURI || "inline"} (${e.sourceFile || "?"}:${e.lineNumber}) ${e.sample}`);
        });
      });
      await use();
      expect(errors, "errors in the browser console").toEqual([]);
    },
    { auto: true },
  ],
  users: async ({}, use) => use(JSON.parse(process.env.E2E_USERS ?? "{}") as E2EUsers),
  fakeUrl: async ({}, use) => use(process.env.E2E_FAKE_URL ?? ""),
});
export { expect };

/** Signs in through the API (the cookie lands in the page's context); the sign-in page has its own spec. */
export async function signInByApi(page: Page, user: E2EUser): Promise<void> {
  const res = await page.request.post("/api/v1/auth/login", { data: { email: user.email, password: user.password } });
  expect(res.status(), await res.text()).toBe(200);
}

/** Signs in on the sign-in page the browser is on. */
export async function signInByForm(page: Page, user: E2EUser): Promise<void> {
  await expect(page.getByRole("heading", { name: "Sign in to LLM Hub" })).toBeVisible();
  await expect(page.locator("main.login form[data-hydrated]")).toBeVisible(); // a click before hydration submits natively
  await page.getByLabel("Email").fill(user.email);
  await page.getByLabel("Password").fill(user.password);
  await page.getByRole("button", { name: "Sign in" }).click();
}

/** Saves a (full-page, unless told) screenshot of a main state under test-results/e2e-screenshots/. */
export async function shot(page: Page, name: string, opts: { fullPage?: boolean } = {}): Promise<string> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const path = `${SCREENSHOTS}/${name}.png`;
  await page.screenshot({ path, fullPage: opts.fullPage ?? true, animations: "disabled" });
  return path;
}

/** A key the fake provider accepts (or, with a behaviour word inside, answers accordingly). */
export function fakeKey(prefix: string, behaviour = ""): string {
  const random = Array.from({ length: 40 }, () => "0123456789abcdef"[Math.floor(Math.random() * 16)]).join("");
  return `${prefix}${behaviour}${random}`;
}
