import { expect, shot, signInByApi, test } from "./fixtures";
import { ProviderKeysPage } from "./pages/provider-keys-page";

test("tests run side by side, and the eleventh in a minute says how long to wait", async ({ page, users, fakeUrl }) => {
  const tab = new ProviderKeysPage(page);
  await signInByApi(page, users.limits);
  await tab.goto();

  // Two slow tests at once: each row has its own pending state.
  await page.request.post(`${fakeUrl}/__fake/latency?ms=1500`);
  try {
    await tab.testButton("Mistral AI").click();
    await tab.testButton("Groq").click();
    await expect(tab.testButton("Mistral AI")).toHaveAttribute("aria-disabled", "true");
    await expect(tab.testButton("Groq")).toHaveAttribute("aria-disabled", "true");
    await expect(tab.status("Mistral AI")).toContainText("Testing Mistral AI…");
    await expect(tab.status("Groq")).toContainText("Testing Groq…");
    await shot(page, "08-two-tests-in-flight", { fullPage: false });
    await expect(tab.status("Mistral AI")).toContainText("Key works");
    await expect(tab.status("Groq")).toContainText("Key works");
  } finally {
    await page.request.post(`${fakeUrl}/__fake/latency?ms=0`);
  }

  // Eight more quick tests use up the budget of ten a minute...
  for (let i = 0; i < 8; i++) {
    await tab.testButton("Mistral AI").click();
    await expect(tab.testButton("Mistral AI")).toHaveAttribute("aria-disabled", "false");
    await expect(tab.status("Mistral AI")).toContainText("Key works");
  }
  // ...and the eleventh explains the wait instead of a generic error.
  await tab.testButton("Mistral AI").click();
  await expect(tab.status("Mistral AI")).toContainText(/Rate limit exceeded\. Maximum 10 tests per minute\. Wait \d+ seconds?, then try again\./);
  await shot(page, "09-rate-limited");
});
