import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { Chart } from "./usage-chart";

const series = [
  { id: "openai", label: "openai", provider_type: "openai", requests: [9, 0, 4], tokens: [90, 0, 40], cost_usd: [0.1, 0, 0.2] },
  { id: "__other__", label: "Other", provider_type: null, requests: [3, 0, 0], tokens: [30, 0, 0], cost_usd: [0, 0, 0] },
];
const buckets = ["2026-12-01T10:00:00.000Z", "2026-12-01T11:00:00.000Z", "2026-12-01T12:00:00.000Z"];
const bars = (html: string) => [...html.matchAll(/<rect class="chart-bar" x="([\d.]+)" y="([\d.]+)" width="([\d.]+)" height="([\d.]+)" fill="([^"]+)"/g)].map((m) => ({ x: Number(m[1]), y: Number(m[2]), h: Number(m[4]), fill: m[5] }));

describe("the Usage tab's chart", () => {
  it("stacks one bar per non-zero value, heights in proportion, Other in its neutral colour", () => {
    const html = renderToStaticMarkup(createElement(Chart, { width: 600, buckets, series, metric: "requests", interval: "hour" }));
    const b = bars(html);
    expect(b).toHaveLength(3);
    const [openai10, openai12, other10] = [b.find((x) => x.fill === "var(--chart-1)" && x.x < 200)!, b.find((x) => x.fill === "var(--chart-1)" && x.x > 300)!, b.find((x) => x.fill === "var(--chart-other)")!];
    expect(openai10.h / openai12.h).toBeCloseTo(9 / 4, 5);
    expect(other10.h / openai10.h).toBeCloseTo(3 / 9, 5);
    expect(other10.y + other10.h).toBeCloseTo(openai10.y, 5); // Other sits on top of openai
    expect(html).toContain('aria-hidden="true"');
  });

  it("draws the figure it is asked for", () => {
    const html = renderToStaticMarkup(createElement(Chart, { width: 600, buckets, series, metric: "cost", interval: "hour" }));
    expect(bars(html)).toHaveLength(2);
    expect(html).toContain("$0.2");
  });
});
