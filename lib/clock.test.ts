import { afterEach, describe, expect, it, vi } from "vitest";

const CLOCK = Symbol.for("llmhub.clock");
const g = globalThis as { [k: symbol]: unknown };

afterEach(() => {
  delete g[CLOCK];
  vi.useRealTimers();
  vi.resetModules();
});

describe("lib/clock", () => {
  it("reads the Date server.mjs kept before Next wrapped the global one", async () => {
    let made = 0;
    let asked = 0;
    class Kept extends Date {
      constructor() {
        super(Date.UTC(2026, 0, 2, 3, 4, 5));
        made++;
      }
      static override now() {
        asked++;
        return 42;
      }
    }
    g[CLOCK] = { Date: Kept };
    vi.resetModules();
    const { newDate, nowMs } = await import("./clock");
    expect(nowMs()).toBe(42);
    const d = newDate();
    expect(d.toISOString()).toBe("2026-01-02T03:04:05.000Z");
    expect(d instanceof Date).toBe(true);
    expect([made, asked]).toEqual([1, 1]);
  });

  it("without one, the global Date at each call (a test's fake timers apply)", async () => {
    vi.resetModules();
    const { newDate, nowMs } = await import("./clock");
    vi.useFakeTimers();
    vi.setSystemTime(new Date("2030-05-06T07:08:09Z"));
    expect(nowMs()).toBe(Date.UTC(2030, 4, 6, 7, 8, 9));
    expect(newDate().toISOString()).toBe("2030-05-06T07:08:09.000Z");
  });
});
