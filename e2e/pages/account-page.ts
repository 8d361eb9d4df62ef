import { expect, type Locator, type Page } from "@playwright/test";

/** "Your account" (from the user menu), and the one-time password form that stands in for every page. */
export class AccountPage {
  constructor(readonly page: Page) {}

  /** Opens it the way a user does: the account menu, then "Your account". */
  async open(): Promise<void> {
    await this.page.getByRole("button", { name: /Account menu for/ }).click();
    await this.page.getByRole("link", { name: "Your account" }).click();
    await expect(this.page.getByRole("heading", { level: 1, name: "Your account" })).toBeVisible();
    await expect(this.page.locator("section.account[data-hydrated]")).toBeVisible();
  }

  get sessions(): Locator {
    return this.page.getByRole("list", { name: "Your sessions" });
  }

  /** Fills in and submits the password form on the page (hydrated first: before, it would not be sent). */
  async changePassword(current: string, next: string, again = next): Promise<void> {
    await expect(this.page.locator("form[data-hydrated]")).toBeVisible();
    await this.page.getByLabel("Current password").fill(current);
    await this.page.getByLabel("New password", { exact: true }).fill(next);
    await this.page.getByLabel("New password again").fill(again);
    await this.page.getByRole("button", { name: "Change password" }).click();
  }
}
