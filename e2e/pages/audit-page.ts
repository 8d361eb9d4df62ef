import { expect, type Locator, type Page } from "@playwright/test";

/** The Audit tab, by roles and labels. */
export class AuditPage {
  constructor(readonly page: Page) {}

  async goto(search = ""): Promise<void> {
    await this.page.goto(`/llm-hub/audit${search}`);
    await expect(this.heading).toBeVisible();
    await expect(this.page.locator("section.audit[data-hydrated]")).toBeVisible();
  }

  get heading(): Locator {
    return this.page.getByRole("heading", { level: 1, name: "Audit" });
  }

  get tab(): Locator {
    return this.page.getByRole("navigation", { name: "LLM Hub sections" }).getByRole("link", { name: "Audit" });
  }

  get filters(): Locator {
    return this.page.getByRole("form", { name: "Filter the audit log" });
  }

  field(label: "Actor" | "Action" | "Provider" | "Outcome" | "From (UTC day)" | "To (UTC day, included)"): Locator {
    return this.filters.getByLabel(label, { exact: true });
  }

  get apply(): Locator {
    return this.filters.getByRole("button", { name: "Apply filters" });
  }

  get table(): Locator {
    return this.page.getByRole("table", { name: "Audit records, newest first" });
  }

  /** The record rows (not their opened detail rows). */
  get rows(): Locator {
    return this.table.locator("tbody tr:not(.audit-detail-row)");
  }

  /** The actions of the rows shown, top to bottom. */
  async actions(): Promise<string[]> {
    return this.rows.locator("td:nth-child(2)").allTextContents();
  }

  async actors(): Promise<string[]> {
    return this.rows.locator("td:nth-child(4)").allTextContents();
  }

  /** A record's Details button ("Hide details" once open). */
  details(recordId: number): Locator {
    return this.table.getByRole("button", { name: new RegExp(`^(Details|Hide details) of record ${recordId}$`) });
  }

  /** A record's opened facts and detail. */
  detail(recordId: number): Locator {
    return this.table.getByLabel(`Record ${recordId}`, { exact: true });
  }

  get loadOlder(): Locator {
    return this.page.getByRole("button", { name: "Load older records" });
  }

  get csvLink(): Locator {
    return this.page.getByRole("link", { name: "Download CSV" });
  }

  get empty(): Locator {
    return this.page.getByText("No records match these filters.");
  }
}
