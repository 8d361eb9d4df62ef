import { expect, type Locator, type Page } from "@playwright/test";

/** The Usage tab, by roles and labels. */
export class UsagePage {
  constructor(readonly page: Page) {}

  async goto(search = ""): Promise<void> {
    await this.page.goto(`/llm-hub/usage${search}`);
    await expect(this.heading).toBeVisible();
    await expect(this.page.locator("section.usage[data-hydrated]")).toBeVisible();
  }

  get heading(): Locator {
    return this.page.getByRole("heading", { level: 1, name: "Usage" });
  }

  get tab(): Locator {
    return this.page.getByRole("navigation", { name: "LLM Hub sections" }).getByRole("link", { name: "Usage" });
  }

  range(label: "24 hours" | "7 days" | "30 days" | "Custom"): Locator {
    return this.page.getByRole("radio", { name: label, exact: true });
  }

  get groupBy(): Locator {
    return this.page.getByLabel("Group by");
  }

  /** A headline figure's value ("Requests", "Error rate", …). */
  headline(label: string): Locator {
    return this.page.locator("dl.figures .figure").filter({ has: this.page.getByText(label, { exact: true }) }).locator(".figure-value");
  }

  get chartTitle(): Locator {
    return this.page.locator("#usage-chart-title");
  }

  /** The chart's text alternative, opened. */
  async chartTable(): Promise<Locator> {
    const details = this.page.locator("details.chart-table");
    if (!(await details.evaluate((d) => (d as HTMLDetailsElement).open))) await details.getByText("Show the chart as a table").click();
    return details.getByRole("table");
  }

  /** The labels of the "Used most" list, in rank order. */
  async usedMost(): Promise<string[]> {
    return this.page.getByRole("list", { name: /^Used most/ }).locator(".used-most-label").allTextContents();
  }

  get providerStats(): Locator {
    return this.page.getByRole("region", { name: "Errors and latency per provider" }).getByRole("table");
  }

  get csvLink(): Locator {
    return this.page.getByRole("link", { name: "Download CSV" });
  }

  get emptyState(): Locator {
    return this.page.getByRole("region", { name: /^No requests in this range/ });
  }
}
