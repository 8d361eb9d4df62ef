import { expect, signInByApi, test } from "./fixtures";
import { ProviderKeysPage } from "./pages/provider-keys-page";

// The fixture fails a test on any console error or CSP violation of the pages it visits, so
// walking through the app's pages here is the check that they all run under the policy.
test("every page of the app runs under its Content-Security-Policy without a violation", async ({ page, users }) => {
  const nonces = new Set<string>();
  const visit = async (path: string, heading: string | RegExp, status = 200) => {
    const res = await page.goto(path);
    expect(res!.status(), path).toBe(status);
    const csp = res!.headers()["content-security-policy"] ?? "";
    const nonce = /'nonce-([^']+)'/.exec(csp)?.[1];
    expect(nonce, `${path}: ${csp}`).toBeTruthy();
    nonces.add(nonce!);
    await expect(page.getByRole("heading", { level: 1, name: heading })).toBeVisible();
    await page.waitForLoadState("networkidle");
  };

  await visit("/login", "Sign in to LLM Hub");
  await visit("/no-such-page", "Page not found", 404);
  await signInByApi(page, users.security);
  await visit("/llm-hub/provider-keys", "Provider Keys");
  await expect(page.locator("section.provider-keys[data-hydrated]")).toBeVisible(); // its scripts ran
  await visit("/llm-hub/hub-keys", "Hub Keys");
  await expect(page.locator("section.hub-keys[data-hydrated]")).toBeVisible();
  await visit("/llm-hub/webhooks", "Webhooks");
  await visit("/llm-hub/notifications", /Notifications/);
  // client-side navigation loads more of the app's scripts under the same page's policy, and a
  // server action (a key test) and its answer work under it
  const tab = new ProviderKeysPage(page);
  await page.getByRole("link", { name: "Provider Keys" }).click();
  await expect(tab.heading).toBeVisible();
  await tab.testButton("Mistral AI").click();
  await expect(tab.status("Mistral AI")).toContainText("Key works");
  await tab.keyButton("OpenAI").click();
  await expect(tab.dialog).toBeVisible();
  await page.keyboard.press("Escape");
  await expect(tab.dialog).toBeHidden();
  expect(nonces.size).toBe(6);
});

test("the policy is enforced: injected markup cannot run script, and no other page can frame the app", async ({ context, baseURL }) => {
  // pages the fixture does not watch: the refusals on them are what this test expects
  const probe = await context.newPage();
  const refused: string[] = [];
  probe.on("console", (m) => m.type() === "error" && refused.push(m.text()));
  await probe.goto("/login");
  await expect(probe.getByRole("heading", { name: "Sign in to LLM Hub" })).toBeVisible();
  // what an HTML injection would add: an inline event handler (it has no nonce)
  const ran = await probe.evaluate(async () => {
    document.body.insertAdjacentHTML("beforeend", '<img alt="" src="data:," onerror="window.__injected = true">');
    await new Promise((r) => setTimeout(r, 300));
    return (window as unknown as { __injected?: boolean }).__injected === true;
  });
  expect(ran).toBe(false);
  expect(refused.join("\n")).toContain("Content Security Policy");

  const framer = await context.newPage();
  await framer.setContent(`<iframe title="app" src="${baseURL}/login"></iframe>`);
  await expect.poll(() => framer.frames().length).toBe(2);
  const frame = framer.frames()[1]!;
  await frame.waitForLoadState().catch(() => {});
  expect(await frame.content().catch(() => "")).not.toContain("Sign in to LLM Hub");
  await probe.close();
  await framer.close();
});
