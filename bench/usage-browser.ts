/**
 * How the browser draws the Usage tab over the bench's year of rollups (bench/usage-rollups.ts):
 * Debian's Chromium (never a downloaded one) opens each view with the bench admin's cookie, and a
 * PerformanceObserver counts the main thread's long tasks (over 50 ms) from navigation until the
 * chart has drawn plus one second. Reported in bench/results.md under "Usage tab in the browser".
 */
import { chromium } from "@playwright/test";

export interface DrawResult {
  view: string;
  /** From navigation start to the chart's first bar in the DOM, ms. */
  drawnMs: number;
  longTasks: number[];
}

const VIEWS: [string, string][] = [
  ["7 days by provider (the default)", ""],
  ["24 hours by model", "?range=24h&group=model"],
  ["30 days by hub key", "?range=30d&group=hub_key"],
  ["365 days by model", `?range=custom&from=${new Date(Date.now() - 364 * 86400_000).toISOString().slice(0, 10)}&to=${new Date().toISOString().slice(0, 10)}&group=model`],
];

export async function drawUsageTab(appUrl: string, cookie: string): Promise<DrawResult[]> {
  const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"] });
  try {
    const context = await browser.newContext({ viewport: { width: 1200, height: 900 } });
    const [name, ...value] = cookie.split(";")[0]!.split("=");
    await context.addCookies([{ name: name!, value: value.join("="), url: appUrl }]);
    await context.addInitScript(() => {
      const w = window as unknown as { __longTasks: number[] };
      w.__longTasks = [];
      new PerformanceObserver((list) => list.getEntries().forEach((e) => w.__longTasks.push(e.duration))).observe({ type: "longtask", buffered: true });
    });
    const out: DrawResult[] = [];
    for (const [view, search] of VIEWS) {
      const page = await context.newPage();
      // once unmeasured, so the chart library's chunk is in the HTTP cache as for a returning admin
      await page.goto(`${appUrl}/llm-hub/usage${search}`);
      await page.locator(".chart-bar").first().waitFor({ timeout: 60_000 });
      await page.goto(`${appUrl}/llm-hub/usage${search}`);
      await page.locator(".chart-bar").first().waitFor({ timeout: 60_000 });
      const drawnMs = await page.evaluate(() => performance.now());
      await page.waitForTimeout(1000);
      out.push({ view, drawnMs, longTasks: await page.evaluate(() => (window as unknown as { __longTasks: number[] }).__longTasks) });
      await page.close();
    }
    return out;
  } finally {
    await browser.close();
  }
}

export function drawReport(results: DrawResult[]): string {
  const L = ["## Usage tab in the browser", "", "Chromium (headless, `/usr/bin/chromium`) on the same machine, a year of rollups as in the `usage-*` rows; each view opened twice, measured the second time (the chart's chunk cached). Goal: no long task over 200 ms.", ""];
  L.push("| view | chart drawn after | long tasks (> 50 ms) | longest |", "|---|--:|--:|--:|");
  for (const r of results) L.push(`| ${r.view} | ${r.drawnMs.toFixed(0)} ms | ${r.longTasks.length} | ${r.longTasks.length ? `${Math.max(...r.longTasks).toFixed(0)} ms` : "–"} |`);
  return L.join("\n");
}
