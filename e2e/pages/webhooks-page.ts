import { expect, type Locator, type Page } from "@playwright/test";

/** The Webhooks tab, by roles and labels: one article per webhook, named by the webhook's name. */
export class WebhooksPage {
  constructor(readonly page: Page) {}

  async goto(): Promise<void> {
    await this.page.goto("/llm-hub/webhooks");
    await expect(this.heading).toBeVisible();
    // the page is server-rendered: a click before hydration would do nothing
    await expect(this.page.locator("section.webhooks[data-hydrated]")).toBeVisible();
  }

  get heading(): Locator {
    return this.page.getByRole("heading", { level: 1, name: "Webhooks" });
  }

  get tab(): Locator {
    return this.page.getByRole("link", { name: "Webhooks" });
  }

  get emptyState(): Locator {
    return this.page.getByText(/No webhooks yet/);
  }

  /** The open modal dialog (there is at most one). */
  get dialog(): Locator {
    return this.page.getByRole("dialog");
  }

  card(name: string): Locator {
    return this.page.getByRole("article", { name, exact: true });
  }

  /** The card's live region: what the last test notification (or toggle) did. */
  status(name: string): Locator {
    return this.card(name).getByRole("status");
  }

  deliveries(name: string): Locator {
    return this.card(name).getByRole("table");
  }

  async openAddDialog(): Promise<void> {
    await this.page.getByRole("button", { name: "Add webhook" }).click();
    await expect(this.dialog).toBeVisible();
  }

  /** Fills in the open add dialog and submits it; the dialog then shows the secret, or what is wrong. */
  async submitAdd(name: string, url: string): Promise<void> {
    await this.dialog.getByLabel("Name").fill(name);
    await this.dialog.getByLabel("URL").fill(url);
    await this.dialog.getByRole("button", { name: "Add webhook" }).click();
  }

  /** The signing secret the dialog shows once, after it has appeared. */
  async signingSecret(): Promise<string | null> {
    await expect(this.dialog.getByRole("heading", { name: "Signing secret" })).toBeVisible();
    return (await this.dialog.getByLabel("Signing secret").textContent())?.trim() ?? null;
  }

  /** Closes the dialog with Done and waits for it to go. */
  async done(): Promise<void> {
    await this.dialog.getByRole("button", { name: "Done" }).click();
    await expect(this.dialog).toBeHidden();
  }

  async sendTest(name: string): Promise<void> {
    await this.card(name).getByRole("button", { name: "Send test notification" }).click();
  }

  async showDeliveries(name: string): Promise<void> {
    await this.card(name).getByRole("button", { name: "Deliveries" }).click();
  }

  /** Deletes the webhook, confirming in the dialog. */
  async remove(name: string): Promise<void> {
    await this.card(name).getByRole("button", { name: "Delete" }).click();
    await this.dialog.getByRole("button", { name: "Delete webhook" }).click();
  }
}
