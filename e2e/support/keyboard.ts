import { expect, type Locator, type Page } from "@playwright/test";

/** Presses Tab (or Shift+Tab) until `target` has focus, as a keyboard user would; fails after `max`. */
export async function tabTo(page: Page, target: Locator, opts: { max?: number; backwards?: boolean } = {}): Promise<void> {
  const max = opts.max ?? 80;
  for (let i = 0; i < max; i++) {
    if (await target.evaluate((el) => el === document.activeElement).catch(() => false)) return;
    await page.keyboard.press(opts.backwards ? "Shift+Tab" : "Tab");
  }
  await expect(target, `not reached with ${max} presses of Tab`).toBeFocused({ timeout: 1 });
}

/**
 * Where focus is relative to a modal dialog: inside it, on the page behind it (which a modal must
 * never allow), or nowhere in the page (the browser's own UI, where a native modal lets Tab go).
 */
export function focusPlace(dialog: Locator): Promise<"dialog" | "page" | "browser"> {
  return dialog.evaluate((el) => {
    const active = document.activeElement;
    if (active && el.contains(active)) return "dialog";
    return !active || active === document.body || active === document.documentElement ? "browser" : "page";
  });
}
