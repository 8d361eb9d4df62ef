import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";

describe("scripts/icon-assets.mjs", () => {
  it("the committed logos, icons and their CSS are what the script writes from the installed sets", () => {
    // exits 1 and names the stale files when they differ
    expect(() => execFileSync(process.execPath, ["scripts/icon-assets.mjs", "--check"], { stdio: "pipe" })).not.toThrow();
  });

  it("every copied SVG keeps its licence notice and carries nothing that runs or loads", () => {
    for (const dir of ["components/provider-logos/svg", "components/icons/svg"]) {
      for (const f of readdirSync(dir)) {
        const svg = readFileSync(`${dir}/${f}`, "utf8");
        expect(svg, f).toMatch(/^<!-- (@lobehub\/icons-static-svg v[\d.]+ - MIT|lucide-static v[\d.]+ - ISC) -->\n<svg /);
        expect(svg, f).not.toMatch(/<script|\son\w+=|href=|style=/i);
        // only the root loses its size: a <rect> without one draws nothing (the first copies lost them)
        for (const rect of svg.match(/<rect\b[^>]*>/g) ?? []) expect(rect, f).toMatch(/\bwidth="[^"]+".*\bheight="[^"]+"/);
        expect(svg.match(/<svg\b[^>]*>/)![0], f).not.toMatch(/\s(width|height)=/);
      }
    }
  });
});
