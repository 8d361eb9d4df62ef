import { expect, type Locator, type Page } from "@playwright/test";

/** The Hub Keys tab, by roles and labels: one article per hub key, named by the key's name. */
export class HubKeysPage {
  constructor(readonly page: Page) {}

  async goto(): Promise<void> {
    await this.page.goto("/llm-hub/hub-keys");
    await expect(this.heading).toBeVisible();
    // the page is server-rendered: a click before hydration would do nothing
    await expect(this.page.locator("section.hub-keys[data-hydrated]")).toBeVisible();
  }

  get heading(): Locator {
    return this.page.getByRole("heading", { level: 1, name: "Hub Keys" });
  }

  get tab(): Locator {
    return this.page.getByRole("navigation", { name: "LLM Hub sections" }).getByRole("link", { name: "Hub Keys" });
  }

  get emptyState(): Locator {
    return this.page.getByText(/^No hub keys yet/);
  }

  get createButton(): Locator {
    return this.page.getByRole("button", { name: "Create hub key" });
  }

  get refreshButton(): Locator {
    return this.page.getByRole("button", { name: "Refresh" });
  }

  get banner(): Locator {
    return this.page.locator("section.hub-keys > p[role=alert]");
  }

  /** The open modal dialog (there is at most one). */
  get dialog(): Locator {
    return this.page.getByRole("dialog");
  }

  card(name: string): Locator {
    return this.page.getByRole("article", { name, exact: true });
  }

  /** The value shown for a fact of a card ("Requests this month", "Last used", "Key", …). */
  fact(name: string, term: string): Locator {
    return this.card(name).locator("dt", { hasText: new RegExp(`^${term}$`) }).locator("xpath=following-sibling::dd[1]");
  }

  status(name: string): Locator {
    return this.card(name).locator(".badge").first();
  }

  button(name: string, label: string): Locator {
    return this.card(name).getByRole("button", { name: label, exact: true });
  }

  /** Fills in the open create/edit dialog (only the fields given) and submits it. */
  async fillAndSubmit(v: { name?: string; owner?: string; allowed?: string; rpm?: string; budget?: string; expires?: string }, submit: string): Promise<void> {
    const d = this.dialog;
    if (v.name !== undefined) await d.getByLabel("Name").fill(v.name);
    if (v.owner !== undefined) await d.getByLabel("Owner").fill(v.owner);
    if (v.allowed !== undefined) await d.getByLabel("Allowed models").fill(v.allowed);
    if (v.rpm !== undefined) await d.getByLabel("Requests per minute").fill(v.rpm);
    if (v.budget !== undefined) await d.getByLabel("Monthly budget (USD)").fill(v.budget);
    if (v.expires !== undefined) await d.getByLabel("Expires on").fill(v.expires);
    await d.getByRole("button", { name: submit }).click();
  }

  /** The key the dialog shows once, after it has appeared. */
  async shownKey(): Promise<string> {
    const code = this.dialog.getByLabel("Hub key");
    await expect(code).toBeVisible();
    return (await code.textContent())!.trim();
  }

  /** The example for one SDK, as the dialog shows it. */
  async example(kind: "curl" | "Python (OpenAI SDK)" | "TypeScript (OpenAI SDK)" | "Python (Anthropic SDK)"): Promise<string> {
    await this.dialog.getByRole("radio", { name: kind }).check();
    return (await this.dialog.getByLabel(`${kind} example`).textContent()) ?? "";
  }

  async done(): Promise<void> {
    await this.dialog.getByRole("button", { name: "Done" }).click();
    await expect(this.dialog).toBeHidden();
  }
}
