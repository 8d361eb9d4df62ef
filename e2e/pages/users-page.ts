import { expect, type Locator, type Page } from "@playwright/test";

/** The Users tab, by roles and labels: one article per user, named by their email. */
export class UsersPage {
  constructor(readonly page: Page) {}

  async goto(): Promise<void> {
    await this.page.goto("/llm-hub/users");
    await expect(this.heading).toBeVisible();
    // the page is server-rendered: a click before hydration would do nothing
    await expect(this.page.locator("section.users[data-hydrated]")).toBeVisible();
  }

  get heading(): Locator {
    return this.page.getByRole("heading", { level: 1, name: "Users" });
  }

  get tab(): Locator {
    return this.page.getByRole("navigation", { name: "LLM Hub sections" }).getByRole("link", { name: "Users" });
  }

  /** The open modal dialog (there is at most one). */
  get dialog(): Locator {
    return this.page.getByRole("dialog");
  }

  card(email: string): Locator {
    return this.page.getByRole("article", { name: email, exact: true });
  }

  /** Adds a user in the dialog and answers the one-time password it shows once. */
  async add(email: string, role: "Admin" | "Viewer"): Promise<string> {
    await this.page.getByRole("button", { name: "Add user" }).click();
    await expect(this.dialog).toBeVisible();
    await this.dialog.getByLabel("Email").fill(email);
    await this.dialog.getByLabel("Role").selectOption({ label: role === "Admin" ? "Admin" : "Viewer (signs in; no admin tabs)" });
    await this.dialog.getByRole("button", { name: "Add user" }).click();
    await expect(this.dialog.getByRole("heading", { name: "One-time password" })).toBeVisible();
    const password = (await this.dialog.getByLabel("One-time password").textContent())?.trim() ?? "";
    await this.dialog.getByRole("button", { name: "Done" }).click();
    await expect(this.dialog).toBeHidden();
    return password;
  }

  /** A user's session list, opened from their card. */
  async sessions(email: string): Promise<Locator> {
    const card = this.card(email);
    await card.getByRole("button", { name: "Sessions" }).click();
    return card.getByRole("list", { name: `Sessions of ${email}` });
  }
}
