import { expect, type Locator, type Page } from "@playwright/test";
import { ProviderKeysPage } from "./provider-keys-page";

/** The Provider Keys tab's compact view: one table row per provider, named by its row header. */
export class CompactViewPage extends ProviderKeysPage {
  constructor(page: Page) {
    super(page);
  }

  get table(): Locator {
    return this.page.getByRole("table", { name: "Providers" });
  }

  viewRadio(name: "Cards" | "Compact"): Locator {
    return this.page.getByRole("radio", { name });
  }

  /** Switches to the compact view and waits for its table (loaded on demand). */
  async showCompact(): Promise<void> {
    await this.viewRadio("Compact").check();
    await expect(this.table).toBeVisible();
  }

  get filter(): Locator {
    return this.page.getByLabel("Filter providers");
  }

  compactRow(name: string): Locator {
    // the row header also holds marks such as "Custom" or "Disabled": match the name itself
    return this.table.getByRole("row").filter({ has: this.page.getByRole("rowheader").getByText(name, { exact: true }) });
  }

  menuButton(name: string): Locator {
    return this.page.getByRole("button", { name: `Actions for ${name}` });
  }

  menu(name: string): Locator {
    return this.page.getByRole("menu", { name: `Actions for ${name}` });
  }

  menuItem(name: string, item: string | RegExp): Locator {
    return this.menu(name).getByRole("menuitem", { name: item });
  }

  compactStatus(name: string): Locator {
    return this.compactRow(name).getByRole("status");
  }

  get notSetUp(): Locator {
    return this.table.getByRole("button", { name: /^Not set up/ });
  }
}
