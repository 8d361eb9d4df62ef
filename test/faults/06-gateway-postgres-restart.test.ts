/**
 * PostgreSQL restarted under gateway load (issue 12, "Faults"). Workers send gateway requests through
 * the official OpenAI SDK and plain HTTP, streamed (some slow enough to span an outage) and not,
 * each with a model name of its own, while PostgreSQL is restarted, then stopped for a few seconds
 * and started again. Judged (gateway.md §3–4): no 500, no dropped connection, no hang; a request
 * that needs the database while it is down gets 503 `unavailable` with Retry-After, answered while
 * it is down; an answer under way when the database goes is streamed to its end; every request that
 * reached the provider has exactly one usage record once the batcher has caught up by itself (the
 * app is never restarted), and the rollups equal the records.
 */
import { readFileSync } from "node:fs";
import OpenAI from "openai";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { Client } from "../support/client";
import { ensureProviderKey, issueHubKey } from "../support/gateway";
import { useApp } from "./support/app-server";
import { faultAdmin } from "./support/context";
import { exchange, fakeInferences, rollupTotalsOf, usageRowsOf, type UsageRow } from "./support/gateway";
import { startLoad } from "./support/load";
import { pause, restartPg, startPg, stopPg, waitUntil } from "./support/services";

const WORKERS = 8;
const OUTAGE_MS = 4000;
/** No answer may take longer: the slowest stream is 1.2 s long, a 503 is immediate. */
const HANG_BOUND_MS = 10_000;
const version = () => inject("faultsPgVersion");

/** This file's app (started by the describe below). */
let app: ReturnType<typeof useApp>;
const compat = () => `${app.url()}/api/v1/llm/gateway/v1`;
const ask = { messages: [{ role: "user" as const, content: "say hello to the team" }] };
let hubKey = "";
let hubKeyId = "";


/** One gateway request as a client saw it. */
interface Op {
  via: "sdk-stream" | "sdk-json" | "http-stream" | "http-json";
  /** The provider's model id (unique per request): what the fake records. */
  model: string;
  start: number;
  end: number;
  status: number;
  code: string | null;
  retryAfter: string | null;
  requestId: string | null;
  /** The answer arrived whole (for a stream: through its last event). */
  complete: boolean;
  detail: string;
}

async function viaSdk(model: string, stream: boolean): Promise<Omit<Op, "via" | "model" | "start" | "end">> {
  const openai = new OpenAI({ apiKey: hubKey, baseURL: compat(), maxRetries: 0, timeout: 30_000 });
  try {
    if (!stream) {
      const { data, response } = await openai.chat.completions.create({ model: `openai/${model}`, ...ask }).withResponse();
      const complete = typeof data.choices[0]?.message.content === "string" && data.usage !== undefined;
      return { status: response.status, code: null, retryAfter: null, requestId: response.headers.get("x-llmhub-request-id"), complete, detail: "" };
    }
    const { data, response } = await openai.chat.completions.create({ model: `openai/${model}`, stream: true, ...ask }).withResponse();
    let finished = false;
    try {
      for await (const c of data) if (c.choices[0]?.finish_reason) finished = true;
    } catch (err) {
      return { status: response.status, code: "cut", retryAfter: null, requestId: response.headers.get("x-llmhub-request-id"), complete: false, detail: (err as Error).message };
    }
    return { status: response.status, code: null, retryAfter: null, requestId: response.headers.get("x-llmhub-request-id"), complete: finished, detail: "" };
  } catch (err) {
    if (err instanceof OpenAI.APIError && err.status !== undefined) {
      return { status: err.status, code: String(err.code ?? ""), retryAfter: err.headers?.get("retry-after") ?? null, requestId: err.headers?.get("x-llmhub-request-id") ?? null, complete: true, detail: err.message };
    }
    return { status: 0, code: null, retryAfter: null, requestId: null, complete: false, detail: (err as Error).message };
  }
}

async function viaHttp(model: string, stream: boolean): Promise<Omit<Op, "via" | "model" | "start" | "end">> {
  const x = await exchange(`${compat()}/chat/completions`, hubKey, { model: `openai/${model}`, stream, ...ask });
  let code: string | null = null;
  if (x.status >= 400) code = (JSON.parse(x.body || "{}") as { error?: { code?: string } }).error?.code ?? null;
  const whole = x.complete && (!stream || x.status !== 200 || x.body.includes("data: [DONE]"));
  return { status: x.status, code, retryAfter: null, requestId: x.requestId, complete: whole, detail: x.error ?? (x.status >= 400 ? x.body.slice(0, 200) : "") };
}

describe("PostgreSQL restarted under gateway load", () => {
  app = useApp("06-gateway-postgres-restart", { USAGE_FLUSH_INTERVAL_MS: "200", GATEWAY_TIMEOUT_MS: "10000" });
  beforeAll(async () => {
    const admin = await new Client(app.url()).signIn(faultAdmin("gateway"));
    await ensureProviderKey(admin, "openai");
    ({ key: hubKey, id: hubKeyId } = await issueHubKey(admin, { name: "pg-restart-load" }));
  });
  afterAll(() => startPg(version())); // never leave the cluster down for the next file

  it("answers or refuses clearly, streams on, and loses no usage record", async () => {
    const tag = `pgload${Date.now()}`;
    const ops: Op[] = [];
    const load = startLoad(WORKERS, async (w, seq) => {
      const via = (["sdk-stream", "http-json", "http-stream", "sdk-json"] as const)[(w + seq) % 4]!;
      // every other stream drips for 1.2 s, so that answers are under way when the database goes
      const model = `gpt-${tag}-w${w}-s${seq}${via.endsWith("stream") && seq % 2 ? "-drip-12x100" : ""}`;
      const start = performance.now();
      const r = via.startsWith("sdk") ? await viaSdk(model, via === "sdk-stream") : await viaHttp(model, via === "http-stream");
      ops.push({ via, model, start, end: performance.now(), ...r });
    }, 20);
    const t: Record<string, number> = {};
    try {
      await pause(2000);
      t.restart = performance.now();
      t.restartUp = await restartPg(version());
      await pause(2000);
      t.stop = performance.now();
      await stopPg(version());
      t.down = performance.now();
      await pause(OUTAGE_MS);
      t.start = performance.now();
      t.up = await startPg(version());
      // until the gateway serves again, and a little more
      await waitUntil("gateway answers again after the outage", async () => ops.some((o) => o.start > t.up! && o.status === 200 && o.complete), 20_000, 100);
      await pause(1500);
    } finally {
      await load.stop();
    }
    const t0 = ops[0]!.start;
    const at = (ms: number) => `${Math.round(ms - t0)} ms`;
    const summary = new Map<string, number>();
    for (const o of ops) {
      const k = `${o.status}${o.code ? `:${o.code}` : ""}${o.status === 200 && !o.complete ? " cut" : ""}`;
      summary.set(k, (summary.get(k) ?? 0) + 1);
    }
    console.log(`06 gateway load: ${ops.length} requests (${[...summary].map(([k, n]) => `${k} x${n}`).join(", ")}); restart at ${at(t.restart)}, stop at ${at(t.stop)}, down ${at(t.down)}-${at(t.up)}`);

    // no 500, no dropped connection, no hang; every refusal is the clear 503
    expect.soft(ops.filter((o) => o.status !== 200 && o.status !== 503).map((o) => `${o.via} ${o.status} ${o.code} ${o.detail}`)).toEqual([]);
    expect.soft(ops.filter((o) => o.end - o.start > HANG_BOUND_MS).map((o) => `${o.via} took ${Math.round(o.end - o.start)} ms`)).toEqual([]);
    const refused = ops.filter((o) => o.status === 503);
    expect.soft(refused.length, "some requests needed the database while it was down").toBeGreaterThan(0);
    expect.soft(refused.filter((o) => o.code !== "unavailable" || !o.requestId).map((o) => `${o.via} ${o.code} ${o.detail}`)).toEqual([]);
    expect.soft(refused.filter((o) => o.via.startsWith("sdk") && !o.retryAfter).map((o) => o.model), "503 without Retry-After").toEqual([]);
    // answered while it was down, not held until it came back
    expect.soft(refused.filter((o) => o.start > t.down! && o.start < t.start! - 1000 && o.end > t.up!).map((o) => o.model)).toEqual([]);
    // every answer the hub began is whole: an answer under way does not need the database
    expect.soft(ops.filter((o) => o.status === 200 && !o.complete).map((o) => `${o.via} ${o.model}: ${o.detail}`)).toEqual([]);
    // under way when the stop began (a fast shutdown ends the app's connections at once; the stop
    // itself can take most of a second, longer than many of the dripping answers)
    const spanning = ops.filter((o) => o.status === 200 && o.start < t.stop! && o.end > t.stop!);
    console.log(`06: ${spanning.length} answers were under way when PostgreSQL stopped; ${refused.length} refusals`);
    expect.soft(spanning.length, "answers under way when PostgreSQL stopped").toBeGreaterThan(0);

    // no usage record lost: the batcher catches up by itself, one record per request that reached the provider
    const answered = ops.filter((o) => o.status === 200);
    const byRequest = new Map<string, UsageRow>();
    let rows: UsageRow[] = [];
    const caughtUp = await waitUntil("every answered request has its usage record", async () => {
      rows = await usageRowsOf(hubKeyId);
      for (const r of rows) byRequest.set(r.request_id, r);
      return answered.every((o) => byRequest.has(o.requestId!));
    }, 30_000, 250).catch(() => -1);
    console.log(`06: usage records caught up ${caughtUp < 0 ? "NOT" : `${Math.round(caughtUp)} ms`} after the load stopped`);
    await pause(1000); // anything late would show as a duplicate or an extra row now
    rows = await usageRowsOf(hubKeyId);

    const upstream = new Set((await fakeInferences(tag)).map((i) => `openai/${i.model}`));
    const recordedUpstream = rows.filter((r) => r.ttfb_ms !== null);
    expect.soft(answered.filter((o) => !byRequest.has(o.requestId!)).map((o) => o.model), "answered requests without a usage record").toEqual([]);
    expect.soft(recordedUpstream.length, "records of requests that reached the provider = requests the provider saw").toBe(upstream.size);
    expect.soft([...upstream].filter((m) => !rows.some((r) => r.model_requested === m)), "requests the provider saw without a record").toEqual([]);
    expect.soft(rows.length - new Set(rows.map((r) => r.request_id)).size, "duplicate records").toBe(0);
    const sent = new Set(ops.map((o) => o.requestId));
    expect.soft(rows.filter((r) => !sent.has(r.request_id)).map((r) => r.request_id), "records of no request").toEqual([]);
    for (const o of answered) expect.soft(byRequest.get(o.requestId!), o.model).toMatchObject({ status_code: 200, completed: true, error_code: null });

    // the rollups equal the records
    const totals = await rollupTotalsOf(hubKeyId);
    expect.soft(totals.hourly.requests).toBe(rows.length);
    expect.soft(totals.hourly.errors).toBe(rows.filter((r) => r.error_code !== null).length);
    expect.soft(totals.hourly.output).toBe(rows.reduce((n, r) => n + (r.output_tokens ?? 0), 0));
    expect.soft(totals.daily).toBe(rows.length);
    expect.soft(totals.month).toBe(rows.length);

    // the outage did reach the recorder (a batch failed and was kept), and it dropped nothing
    const log = readFileSync(inject("logPath"), "utf8");
    const mine = log.slice(log.lastIndexOf("===== 06-gateway-postgres-restart"));
    expect.soft(mine, "the usage recorder met the outage").toMatch(/Usage records could not be written; \d+ kept in memory and retried/);
    expect.soft(mine).not.toMatch(/Usage recorder dropped|Unhandled error/);
  });
});
