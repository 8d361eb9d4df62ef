// GET /keys/{id}/health (issue 4, first slice): every check of a stored key is history.
import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { expectError, ISO_UTC, KEYS, rowOf, saveKey, testKey } from "../support/api";
import { signedIn } from "../support/client";
import { admin, users } from "../support/context";
import { providerKey } from "../support/keys";

describe("health history of a key", () => {
  it("records the save's test and each manual test, with uptime and latency percentiles", async () => {
    const c = await signedIn(admin("health"));
    const saved = await saveKey(c, { provider_type: "groq", api_key: providerKey("groq") });
    expect([200, 201], saved.text).toContain(saved.status);
    const id = saved.body.provider_id as string;
    const before = await c.get(`${KEYS}/${id}/health`);
    const baseline = before.body.summary.checks as number;

    // one passing and one provider rate limit (degraded, not unhealthy) among manual tests
    expect((await testKey(c, { provider_type: "groq", api_key: null })).body.success).toBe(true);
    await saveKey(c, { provider_type: "groq", api_key: providerKey("groq", "ratelimit") });
    expect((await testKey(c, { provider_type: "groq", api_key: null })).body.error_code).toBe("rate_limited");
    // a supplied key is not the stored key: it adds nothing to the history
    await testKey(c, { provider_type: "groq", api_key: providerKey("groq") });

    const res = await c.get(`${KEYS}/${id}/health`);
    expect(res.status, res.text).toBe(200);
    const h = res.body;
    expect(h).toMatchObject({ success: true, provider_id: id, name: "Groq", health_status: "degraded", truncated: false });
    expect(h.since).toMatch(ISO_UTC);
    expect(h.summary.checks).toBe(baseline + 3);
    const newest = h.checks.slice(0, 3).map((x: { trigger: string; outcome: string; error_code: string | null }) => [x.trigger, x.outcome, x.error_code]);
    expect(newest).toEqual([
      ["manual", "degraded", "rate_limited"],
      ["save", "degraded", "rate_limited"],
      ["manual", "healthy", null],
    ]);
    expect(h.summary.healthy + h.summary.degraded + h.summary.unhealthy).toBe(h.summary.checks);
    expect(h.summary.uptime_pct).toBeCloseTo((100 * h.summary.healthy) / h.summary.checks, 1);
    const { p50, p95, p99 } = h.summary.latency_ms;
    expect(Number.isInteger(p50)).toBe(true);
    expect(p50).toBeLessThanOrEqual(p95);
    expect(p95).toBeLessThanOrEqual(p99);
    expect((await rowOf(c, "groq"))!.health_status).toBe("degraded");
  });

  it("honours ?since= and refuses a bad or future one with 400 naming the field", async () => {
    const c = await signedIn(admin("health"));
    const id = (await rowOf(c, "groq"))!.id;
    const future = new Date(Date.now() + 3_600_000).toISOString();
    const later = await c.get(`${KEYS}/${id}/health?since=${encodeURIComponent(new Date(Date.now() - 1000).toISOString())}`);
    expect(later.status).toBe(200);
    expect(later.body.summary.checks).toBe(later.body.checks.length);
    expectError(await c.get(`${KEYS}/${id}/health?since=yesterday`), 400, "invalid_request", /^since: /);
    expectError(await c.get(`${KEYS}/${id}/health?since=${encodeURIComponent(future)}`), 400, "invalid_request", "since: must not be in the future");
    // an empty window is a valid answer
    const empty = await c.get(`${KEYS}/${id}/health?since=${encodeURIComponent(new Date().toISOString())}`);
    expect(empty.body.summary).toMatchObject({ checks: 0, uptime_pct: null, latency_ms: { p50: null, p95: null, p99: null } });
  });

  it("is admin-only and 404 for an unknown id", async () => {
    const c = await signedIn(admin("health"));
    expectError(await c.get(`${KEYS}/${randomUUID()}/health`), 404, "not_found", "Provider not found");
    const viewer = await signedIn(users().viewer);
    const id = (await rowOf(c, "groq"))!.id;
    expectError(await viewer.get(`${KEYS}/${id}/health`), 403, "forbidden", "Admin access required");
  });
});

describe("check all now", () => {
  it("makes every enabled key due for the background checker (202) and is admin-only", async () => {
    const c = await signedIn(admin("health"));
    // rows without a key (no stored key, no environment key) have nothing to check: not counted
    const rows = (await c.get(KEYS)).body.providers as { enabled: boolean; has_key: boolean }[];
    expect(rows.some((r) => r.enabled && !r.has_key)).toBe(true);
    const res = await c.post("/api/v1/llm/providers/health/check-all", {});
    expect(res.status, res.text).toBe(202);
    expect(res.body).toMatchObject({ success: true });
    expect(res.body.scheduled).toBe(rows.filter((r) => r.enabled && r.has_key).length);
    expect(res.body.message).toMatch(/will be checked within about \d+ s/);
    const viewer = await signedIn(users().viewer);
    expectError(await viewer.post("/api/v1/llm/providers/health/check-all", {}), 403, "forbidden", "Admin access required");
  });
});

describe("health overview (the tab's uptime bars)", () => {
  it("counts every key's checks per hour by outcome, with uptime and the last failure", async () => {
    const c = await signedIn(admin("health"));
    const id = (await rowOf(c, "groq"))!.id;
    const res = await c.get("/api/v1/llm/providers/health/overview");
    expect(res.status, res.text).toBe(200);
    const o = res.body;
    expect(o).toMatchObject({ success: true, window: "24h", bucket_seconds: 3600 });
    expect(Date.parse(o.until) - Date.parse(o.since)).toBe(24 * 3600 * 1000);
    expect(Date.parse(o.until)).toBeGreaterThan(Date.now());
    const groq = o.keys.find((k: { provider_id: string }) => k.provider_id === id);
    expect(groq.buckets).toHaveLength(24);
    // the checks of this file's first test are all in the current (last) hour or the one before
    const history = (await c.get(`${KEYS}/${id}/health`)).body;
    const counted = groq.buckets.reduce((n: number, b: { healthy: number; degraded: number; unhealthy: number }) => n + b.healthy + b.degraded + b.unhealthy, 0);
    expect(counted).toBe(history.summary.checks);
    expect(groq.checks).toBe(counted);
    expect(groq.uptime_pct).toBe(history.summary.uptime_pct);
    expect(groq.buckets.slice(0, 22).every((b: { healthy: number }) => b.healthy === 0)).toBe(true);
    // the newest failure was the provider's rate limit
    expect(groq.last_failure).toMatchObject({ outcome: "degraded", error_code: "rate_limited", status_code: 429 });
    expect(groq.last_failure.checked_at).toMatch(ISO_UTC);

    const week = await c.get("/api/v1/llm/providers/health/overview?window=7d");
    expect(week.body).toMatchObject({ window: "7d", bucket_seconds: 6 * 3600 });
    expect(week.body.keys.find((k: { provider_id: string }) => k.provider_id === id).buckets).toHaveLength(28);
    expectError(await c.get("/api/v1/llm/providers/health/overview?window=1y"), 400, "invalid_request", "window: must be '24h' or '7d'");
    const viewer = await signedIn(users().viewer);
    expectError(await viewer.get("/api/v1/llm/providers/health/overview"), 403, "forbidden", "Admin access required");
  });
});
