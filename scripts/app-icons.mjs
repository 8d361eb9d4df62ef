#!/usr/bin/env node
// Writes the app icon set into public/ from the one drawing below: favicon.svg, favicon.ico (16, 32,
// 48), PNGs at the sizes browsers and home screens ask for, and site.webmanifest. The PNGs are
// drawn by the system's Chromium (the one Playwright uses here; never a downloaded browser).
// The outputs are committed; run this again after changing the drawing: node scripts/app-icons.mjs
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { chromium } from "@playwright/test";

const out = path.resolve(import.meta.dirname, "..", "public");
const BLUE = "#2563eb";

/** A hub: four keys' nodes joined to a centre. `square` fills the whole canvas (home screens round it). */
function drawing(square) {
  const nodes = [
    [152, 152],
    [360, 152],
    [152, 360],
    [360, 360],
  ];
  const spokes = nodes.map(([x, y]) => `<line x1="256" y1="256" x2="${x}" y2="${y}"/>`).join("");
  const dots = nodes.map(([x, y]) => `<circle cx="${x}" cy="${y}" r="50"/>`).join("");
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 512 512">`,
    `<title>LLM Hub</title>`,
    square ? `<rect width="512" height="512" fill="${BLUE}"/>` : `<rect width="512" height="512" rx="112" fill="${BLUE}"/>`,
    `<g stroke="#fff" stroke-width="44" stroke-linecap="round">${spokes}</g>`,
    `<g fill="#fff">${dots}<circle cx="256" cy="256" r="78"/></g>`,
    `<circle cx="256" cy="256" r="34" fill="${BLUE}"/>`,
    `</svg>`,
  ].join("");
}

/** An .ico holding PNG images (Windows Vista and every current browser read PNG entries). */
function ico(pngs) {
  const header = Buffer.alloc(6);
  header.writeUInt16LE(0, 0);
  header.writeUInt16LE(1, 2); // type: icon
  header.writeUInt16LE(pngs.length, 4);
  let offset = 6 + 16 * pngs.length;
  const entries = pngs.map(({ size, data }) => {
    const e = Buffer.alloc(16);
    e.writeUInt8(size >= 256 ? 0 : size, 0);
    e.writeUInt8(size >= 256 ? 0 : size, 1);
    e.writeUInt16LE(1, 4); // colour planes
    e.writeUInt16LE(32, 6); // bits per pixel
    e.writeUInt32LE(data.length, 8);
    e.writeUInt32LE(offset, 12);
    offset += data.length;
    return e;
  });
  return Buffer.concat([header, ...entries, ...pngs.map((p) => p.data)]);
}

const PNGS = [
  { file: "favicon-16x16.png", size: 16, square: false },
  { file: "favicon-32x32.png", size: 32, square: false },
  { file: "apple-touch-icon.png", size: 180, square: true },
  { file: "icon-192.png", size: 192, square: false },
  { file: "icon-512.png", size: 512, square: false },
  { file: "icon-maskable-512.png", size: 512, square: true },
];

const MANIFEST = {
  name: "LLM Hub",
  short_name: "LLM Hub",
  description: "Manage LLM provider keys",
  start_url: "/llm-hub/provider-keys",
  display: "standalone",
  background_color: "#ffffff",
  theme_color: BLUE,
  icons: [
    { src: "/icon-192.png", sizes: "192x192", type: "image/png" },
    { src: "/icon-512.png", sizes: "512x512", type: "image/png" },
    { src: "/icon-maskable-512.png", sizes: "512x512", type: "image/png", purpose: "maskable" },
    { src: "/favicon.svg", sizes: "any", type: "image/svg+xml" },
  ],
};

mkdirSync(out, { recursive: true });
writeFileSync(path.join(out, "favicon.svg"), `${drawing(false)}\n`);
writeFileSync(path.join(out, "site.webmanifest"), `${JSON.stringify(MANIFEST, null, 2)}\n`);

const browser = await chromium.launch({ executablePath: "/usr/bin/chromium", args: ["--no-sandbox", "--disable-gpu"] });
try {
  const page = await browser.newPage({ deviceScaleFactor: 1 });
  const render = async (size, square) => {
    await page.setViewportSize({ width: size, height: size });
    const svg = drawing(square).replace("<svg ", `<svg width="${size}" height="${size}" `);
    await page.setContent(`<!doctype html><html><body style="margin:0">${svg}</body></html>`);
    return page.screenshot({ omitBackground: true, clip: { x: 0, y: 0, width: size, height: size } });
  };
  for (const { file, size, square } of PNGS) {
    writeFileSync(path.join(out, file), await render(size, square));
    console.log(`wrote public/${file}`);
  }
  const icoParts = [];
  for (const size of [16, 32, 48]) icoParts.push({ size, data: await render(size, false) });
  writeFileSync(path.join(out, "favicon.ico"), ico(icoParts));
  console.log("wrote public/favicon.svg, public/favicon.ico, public/site.webmanifest");
} finally {
  await browser.close();
}
