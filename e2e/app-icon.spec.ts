import { expect, signInByApi, test } from "./fixtures";
import { CompactViewPage } from "./pages/compact-view-page";

/** A PNG's width and height, from its IHDR chunk. */
function pngSize(buf: Buffer): [number, number] {
  expect(buf.subarray(1, 4).toString("latin1"), "a PNG").toBe("PNG");
  return [buf.readUInt32BE(16), buf.readUInt32BE(20)];
}

test("the app icon set and web manifest are served, linked from every page, and pages say where you are", async ({ page, users }) => {
  // Static files, readable before sign-in, with the static (nothing-runs) policy rather than a page's.
  const svg = await page.request.get("/favicon.svg");
  expect(svg.status()).toBe(200);
  expect(svg.headers()["content-type"]).toContain("image/svg+xml");
  expect(await svg.text()).toContain("<svg");
  expect(svg.headers()["content-security-policy"]).toBe("default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'");
  const ico = await page.request.get("/favicon.ico");
  expect(ico.status()).toBe(200);
  expect((await ico.body()).readUInt16LE(4), "images in favicon.ico").toBe(3);
  for (const [file, size] of [["/favicon-16x16.png", 16], ["/favicon-32x32.png", 32], ["/apple-touch-icon.png", 180]] as const) {
    const res = await page.request.get(file);
    expect(res.status(), file).toBe(200);
    expect(res.headers()["content-type"]).toBe("image/png");
    expect(pngSize(await res.body()), file).toEqual([size, size]);
  }
  const manifestRes = await page.request.get("/site.webmanifest");
  expect(manifestRes.status()).toBe(200);
  const manifest = (await manifestRes.json()) as { name: string; start_url: string; icons: { src: string; sizes: string; type: string }[] };
  expect(manifest.name).toBe("LLM Hub");
  expect(manifest.start_url).toBe("/llm-hub/provider-keys");
  for (const icon of manifest.icons) {
    const res = await page.request.get(icon.src);
    expect(res.status(), icon.src).toBe(200);
    expect(res.headers()["content-type"]).toContain(icon.type);
    if (icon.type === "image/png") expect(pngSize(await res.body()).join("x"), icon.src).toBe(icon.sizes);
  }

  // The sign-in page links the icons and the manifest, and its title names it.
  await page.goto("/login");
  await expect(page).toHaveTitle("Sign in · LLM Hub");
  const hrefs = (sel: string) => page.locator(sel).evaluateAll((els) => els.map((e) => e.getAttribute("href")));
  expect(await hrefs('link[rel="icon"]')).toEqual(expect.arrayContaining(["/favicon.svg", "/favicon.ico", "/favicon-32x32.png"]));
  expect(await hrefs('link[rel="apple-touch-icon"]')).toEqual(["/apple-touch-icon.png"]);
  expect(await hrefs('link[rel="manifest"]')).toEqual(["/site.webmanifest"]);

  await signInByApi(page, users.looks);
  for (const [path, title] of [
    ["/llm-hub/provider-keys", "Provider Keys · LLM Hub"],
    ["/llm-hub/hub-keys", "Hub Keys · LLM Hub"],
    ["/llm-hub/webhooks", "Webhooks · LLM Hub"],
    ["/llm-hub/notifications", "Notifications · LLM Hub"],
    ["/llm-hub/no-such-page", "Page not found · LLM Hub"],
  ] as const) {
    await page.goto(path);
    await expect(page).toHaveTitle(title);
  }

  // The header shows the icon beside the name, and at 375 px still keeps name, bell and account on one line.
  await page.goto("/llm-hub/provider-keys");
  const logo = page.locator("header img.hub-logo");
  await expect(logo).toHaveAttribute("alt", "");
  expect(await logo.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0)).toBe(true);
  await page.setViewportSize({ width: 375, height: 812 });
  const top = async (name: string | RegExp) => (await page.getByRole("banner").getByRole(typeof name === "string" ? "link" : "button", { name }).boundingBox())!.y;
  const [title, account] = [await top("LLM Hub"), await top(/^Account menu for /)];
  expect(Math.abs(title - account), "title and account menu on one line").toBeLessThan(12);
});

test("provider logos and icons are static images that load (no script), one per provider", async ({ page, users }) => {
  const tab = new CompactViewPage(page);
  await signInByApi(page, users.looks);
  const images = new Map<string, number>();
  page.on("response", (res) => {
    if (res.url().endsWith(".svg") && res.url().includes("/_next/static/")) images.set(res.url(), res.status());
  });
  await tab.goto();
  // Every card has its provider's logo, each drawn from an SVG file by the stylesheet.
  const logos = await page.locator("article .provider-logo").evaluateAll((els) =>
    els.map((el) => {
      const css = getComputedStyle(el);
      return { cls: el.className, image: css.maskImage !== "none" ? css.maskImage : css.backgroundImage, hidden: el.closest("[aria-hidden=true]") !== null };
    }),
  );
  expect(logos.length).toBeGreaterThanOrEqual(9);
  for (const logo of logos) {
    expect(logo.image, logo.cls).toMatch(/^url\(".*\/_next\/static\/media\/.*\.svg"\)$/);
    expect(logo.hidden, `${logo.cls} is decoration`).toBe(true);
  }
  for (const type of ["openrouter", "openai", "anthropic", "google", "cohere", "groq", "together", "mistral"]) {
    await expect(page.locator(`article .provider-logo-${type}`).first()).toBeVisible();
  }
  // Icons in buttons and badges carry no words of their own: the names stay what they were.
  await expect(tab.keyButton("OpenAI")).toHaveAccessibleName(/^(Add|Replace) key for OpenAI$/);
  await expect(tab.row("OpenAI").locator(".badge .icon").first()).toHaveAttribute("aria-hidden", "true");
  await expect.poll(() => images.size, "SVG images fetched").toBeGreaterThanOrEqual(9);
  expect([...images.values()].every((status) => status === 200), JSON.stringify([...images])).toBe(true);
});
