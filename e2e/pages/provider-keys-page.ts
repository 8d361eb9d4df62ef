import { expect, type Locator, type Page } from "@playwright/test";

/** The Provider Keys tab, by roles and labels: one article per provider, named by its heading. */
export class ProviderKeysPage {
  constructor(readonly page: Page) {}

  async goto(): Promise<void> {
    await this.page.goto("/llm-hub/provider-keys");
    await this.hydrated();
  }

  /** Waits until the tab can be used: it is server-rendered, and a click before hydration would do nothing. */
  async hydrated(): Promise<void> {
    await expect(this.heading).toBeVisible();
    await expect(this.page.locator("section.provider-keys[data-hydrated]")).toBeVisible();
  }

  get heading(): Locator {
    return this.page.getByRole("heading", { level: 1, name: "Provider Keys" });
  }

  get rows(): Locator {
    return this.page.getByRole("list", { name: "Providers" }).getByRole("article");
  }

  row(name: string): Locator {
    return this.page.getByRole("article", { name, exact: true });
  }

  /** The open modal dialog (there is at most one). */
  get dialog(): Locator {
    return this.page.getByRole("dialog");
  }

  testButton(name: string): Locator {
    return this.row(name).getByRole("button", { name: /^Test/ });
  }

  keyButton(name: string): Locator {
    return this.row(name).getByRole("button", { name: /^(Add|Replace) key/ });
  }

  editButton(name: string): Locator {
    return this.row(name).getByRole("button", { name: /^Edit/ });
  }

  deleteButton(name: string): Locator {
    return this.row(name).getByRole("button", { name: /^Delete/ });
  }

  status(name: string): Locator {
    return this.row(name).getByRole("status");
  }

  /** Opens the add/replace dialog of a row and fills in the key (and optionally refuses a failing key). */
  async fillKeyDialog(key: string, opts: { requireValid?: boolean } = {}): Promise<void> {
    await this.dialog.getByLabel("API key").fill(key);
    if (opts.requireValid) await this.dialog.getByLabel("Only save the key if its test passes").check();
  }

  async saveKey(name: string, key: string, opts: { requireValid?: boolean } = {}): Promise<void> {
    await this.keyButton(name).click();
    await expect(this.dialog).toBeVisible();
    await this.fillKeyDialog(key, opts);
    await this.dialog.getByRole("button", { name: "Save and test" }).click();
  }

  /** Closes the save result with Done and waits for the dialog to go. */
  async done(): Promise<void> {
    await this.dialog.getByRole("button", { name: "Done" }).click();
    await expect(this.dialog).toBeHidden();
  }

  async addCustomEndpoint(name: string, baseUrl: string, key: string): Promise<void> {
    await this.page.getByRole("button", { name: "Add custom endpoint" }).first().click();
    await expect(this.dialog).toBeVisible();
    await this.dialog.getByLabel("Name").fill(name);
    await this.dialog.getByLabel("Base URL").fill(baseUrl);
    await this.fillKeyDialog(key);
    await this.dialog.getByRole("button", { name: "Save and test" }).click();
  }

  /** The badges read "Key source: Database", "Health: Healthy" to assistive technology. */
  source(name: string): Locator {
    return this.row(name).getByText(/^Key source: \S/);
  }

  health(name: string): Locator {
    return this.row(name).getByText(/^Health: \S/);
  }
}
