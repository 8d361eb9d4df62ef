/**
 * The gateway's answers cut short, through the built app (issue 12, "Faults"): a provider that goes
 * silent mid-stream (GATEWAY_TIMEOUT_MS, set short here), one that resets the connection mid-stream,
 * and a client that leaves mid-stream. In each case: the upstream request is given up on (the fake
 * sees its client go away, or its own reset closes it), the client's answer is visibly cut (the HTTP
 * message never ends properly, so no SDK mistakes it for a whole answer), and the usage record says
 * `completed: false` with the cause and what was known. Then 1,000 such requests, and the app must
 * hold no more file descriptors than before, the fake no more open upstream connections.
 */
import { readFileSync } from "node:fs";
import Anthropic from "@anthropic-ai/sdk";
import OpenAI from "openai";
import { beforeAll, describe, expect, inject, it } from "vitest";
import { Client } from "../support/client";
import { ensureProviderKey, issueHubKey } from "../support/gateway";
import { useApp } from "./support/app-server";
import { faultAdmin } from "./support/context";
import { exchange, fakeConnections, fakeInferences, rollupTotalsOf, usageRowsOf, type Exchange, type UsageRow } from "./support/gateway";
import { pool } from "./support/load";
import { snapshot } from "./support/proc";
import { pause, waitUntil } from "./support/services";

const IDLE_MS = 400;
const LEAK_REQUESTS = 1000;
const CONCURRENCY = 20;
/** File descriptors the app may open for good during the run: its pools are warm before the baseline. */
const FD_SLACK = 6;

/** This file's app (started by the outer describe below). */
let app: ReturnType<typeof useApp>;
const compat = () => `${app.url()}/api/v1/llm/gateway/v1`;
const ask = { messages: [{ role: "user" as const, content: "count slowly to fifty" }] };
let hubKey = "";
let hubKeyId = "";

async function setUp(): Promise<void> {
  const admin = await new Client(app.url()).signIn(faultAdmin("gateway"));
  await ensureProviderKey(admin, "openai");
  await ensureProviderKey(admin, "anthropic");
  ({ key: hubKey, id: hubKeyId } = await issueHubKey(admin, { name: "stream-faults" }));
}

/** The usage records of these request ids, once all are written (the batcher runs off the request path). */
async function recordsOf(requestIds: string[], timeoutMs = 15_000): Promise<Map<string, UsageRow>> {
  let byId = new Map<string, UsageRow>();
  await waitUntil(`usage records of ${requestIds.length} requests`, async () => {
    const wanted = new Set(requestIds);
    byId = new Map((await usageRowsOf(hubKeyId)).filter((r) => wanted.has(r.request_id)).map((r) => [r.request_id, r]));
    return byId.size === wanted.size;
  }, timeoutMs, 200);
  return byId;
}

async function fakeOne(tag: string, until: (i: Awaited<ReturnType<typeof fakeInferences>>[number]) => boolean) {
  let seen: Awaited<ReturnType<typeof fakeInferences>>[number] | undefined;
  await waitUntil(`the fake's record of ${tag}`, async () => {
    seen = (await fakeInferences(tag))[0];
    return seen !== undefined && until(seen);
  }, 5000, 50).catch(() => {});
  return seen;
}

type Kind = "silent" | "reset" | "leave";
const KINDS: Kind[] = ["silent", "reset", "leave"];
const EXPECTED_CODE: Record<Kind, string> = { silent: "upstream_timeout", reset: "upstream_reset", leave: "client_closed" };

/** One faulty request: a third of each kind, one in five not streamed (cut half-way through its JSON). */
function faulty(tag: string, i: number): Promise<Exchange & { kind: Kind }> {
  const kind = KINDS[i % 3]!;
  const stream = i % 5 !== 0 || kind === "leave";
  const control = kind === "silent" ? "idle-after-1" : kind === "reset" ? "reset-after-1" : "drip-20x20";
  const body = { model: `openai/${tag}-${kind}-${i}-${control}`, stream, ...ask };
  return exchange(`${compat()}/chat/completions`, hubKey, body, kind === "leave" ? { leaveAfter: 2 } : {}).then((x) => ({ ...x, kind }));
}

/** What the app and the fake hold once the upstream connections have settled (in-flight answers gone). */
async function settled(fakePort: number, baseline?: { inference_open: number }) {
  const closed = waitUntil("the fake's inference answers all closed", async () => (await fakeConnections()).inference_in_flight === 0, 15_000, 100);
  // after the run, a wait that runs out is judged by the assertions, which say what stayed open
  if (baseline) {
    await closed.catch(() => {});
    await waitUntil("the fake's upstream connections back to the baseline", async () => (await fakeConnections()).inference_open <= baseline.inference_open, 5000, 100).catch(() => {});
  } else await closed;
  await pause(300); // closes that the kernel and the event loop have yet to hand over
  return { app: snapshot(app.pid(), [fakePort]), fake: await fakeConnections() };
}

describe("gateway answers cut short (built app)", () => {
  app = useApp("07-gateway-stream-faults", { GATEWAY_TIMEOUT_MS: String(IDLE_MS), USAGE_FLUSH_INTERVAL_MS: "100" });
  beforeAll(setUp);

  describe("one answer cut short, each way", () => {
    it("the provider goes silent mid-stream: cut after GATEWAY_TIMEOUT_MS, upstream aborted, recorded as upstream_timeout", async () => {
      const tag = `silent${Date.now()}`;
      const openai = new OpenAI({ apiKey: hubKey, baseURL: compat(), maxRetries: 0 });
      const { data: stream, response } = await openai.chat.completions.create({ model: `openai/gpt-${tag}-idle-after-2`, stream: true, ...ask }).withResponse();
      const got: string[] = [];
      const t0 = performance.now();
      const err = await (async () => {
        for await (const c of stream) if (c.choices[0]?.delta?.content) got.push(c.choices[0].delta.content);
      })().catch((e: unknown) => e);
      const waited = performance.now() - t0;
      // the SDK raises: the answer is visibly incomplete, not a short one that looks whole
      expect(err, "the SDK's iteration must fail on a cut stream").toBeInstanceOf(Error);
      expect(got).toEqual(["Hello", " from"]);
      expect(waited).toBeGreaterThanOrEqual(IDLE_MS - 50);
      expect((await fakeOne(tag, (i) => i.aborted))?.aborted, "the fake saw the hub give up").toBe(true);
      const rec = (await recordsOf([response.headers.get("x-llmhub-request-id")!])).values().next().value!;
      expect(rec).toMatchObject({ status_code: 200, error_code: "upstream_timeout", completed: false, stream: true, endpoint: "chat" });
      expect(rec.ttfb_ms).not.toBeNull();
      expect(rec.latency_ms).toBeGreaterThanOrEqual(IDLE_MS);
      // the usage chunk comes last: nothing was known of the tokens, and nothing is invented
      expect(rec.output_tokens).toBeNull();
    });

    it("a native Anthropic stream that goes silent keeps the tokens message_start reported", async () => {
      const tag = `claude-silent${Date.now()}`;
      const anthropic = new Anthropic({ apiKey: hubKey, baseURL: `${app.url()}/api/v1/llm/gateway/native/anthropic`, maxRetries: 0 });
      const { data: stream, response } = await anthropic.messages.create({ model: `${tag}-idle-after-2`, max_tokens: 100, stream: true, ...ask }).withResponse();
      const err = await (async () => {
        for await (const _ of stream) void _;
      })().catch((e: unknown) => e);
      expect(err).toBeInstanceOf(Error);
      const fake = await fakeOne(tag, (i) => i.aborted);
      expect(fake?.aborted).toBe(true);
      const rec = (await recordsOf([response.headers.get("x-llmhub-request-id")!])).values().next().value!;
      expect(rec).toMatchObject({ status_code: 200, error_code: "upstream_timeout", completed: false, stream: true, endpoint: "native" });
      expect(rec.input_tokens, "the input tokens message_start carried").toBe(fake!.usage!.inputTokens);
    });

    it("the provider resets the connection mid-stream: the client's stream breaks, recorded as upstream_reset", async () => {
      const tag = `reset${Date.now()}`;
      const openai = new OpenAI({ apiKey: hubKey, baseURL: compat(), maxRetries: 0 });
      const { data: stream, response } = await openai.chat.completions.create({ model: `openai/gpt-${tag}-reset-after-3`, stream: true, ...ask }).withResponse();
      const err = await (async () => {
        for await (const _ of stream) void _;
      })().catch((e: unknown) => e);
      expect(err, "the SDK's iteration must fail on a cut stream").toBeInstanceOf(Error);
      const rec = (await recordsOf([response.headers.get("x-llmhub-request-id")!])).values().next().value!;
      expect(rec).toMatchObject({ status_code: 200, error_code: "upstream_reset", completed: false, stream: true });
      expect((await fakeOne(tag, () => true))?.completed).toBe(false);
    });

    // The deltas a provider sends just before its reset reach the SDK ahead of the break. They used
    // to die in the response's gzip stream (the SDK asks for gzip; the compressor's flush is
    // asynchronous, the cut destroyed the socket first): streams now go out with no-transform.
    it("the deltas sent just before a reset reach the client", async () => {
      const openai = new OpenAI({ apiKey: hubKey, baseURL: compat(), maxRetries: 0 });
      const stream = await openai.chat.completions.create({ model: `openai/gpt-reset2${Date.now()}-reset-after-3`, stream: true, ...ask });
      const got: string[] = [];
      await (async () => {
        for await (const c of stream) if (c.choices[0]?.delta?.content) got.push(c.choices[0].delta.content);
      })().catch(() => {});
      expect(got).toEqual(["Hello", " from", " the"]);
    });

    it("a non-streamed answer cut half-way reaches the client cut too", async () => {
      const tag = `halfjson${Date.now()}`;
      const x = await exchange(`${compat()}/chat/completions`, hubKey, { model: `openai/gpt-${tag}-reset-after-1`, ...ask });
      expect(x.status).toBe(200);
      expect(x.complete, `a cut JSON body must not end like a whole one: ${x.body}`).toBe(false);
      const rec = (await recordsOf([x.requestId!])).values().next().value!;
      expect(rec).toMatchObject({ error_code: "upstream_reset", completed: false, stream: false });
    });

    it("the client leaves mid-stream: the upstream request is aborted at once, recorded as client_closed", async () => {
      const tag = `leaver${Date.now()}`;
      const x = await exchange(`${compat()}/chat/completions`, hubKey, { model: `openai/gpt-${tag}-drip-50x40`, stream: true, ...ask }, { leaveAfter: 3 });
      expect(x).toMatchObject({ status: 200, left: true, complete: false });
      const fake = await fakeOne(tag, (i) => i.aborted);
      expect(fake?.aborted, "the fake saw the hub go away").toBe(true);
      // 50 chunks 40 ms apart take 2 s: the provider stopped well before
      expect(fake!.chunkTimes.length).toBeLessThan(25);
      const rec = (await recordsOf([x.requestId!])).values().next().value!;
      expect(rec).toMatchObject({ status_code: 200, error_code: "client_closed", completed: false, stream: true });
    });
  });

  describe(`${LEAK_REQUESTS} requests cut short`, () => {
    it("leave no file descriptor, upstream connection or answer in flight behind, and every one is recorded", async () => {
      const fakePort = inject("faultsFakePort");
      // warm-up at the same concurrency: pools (database, upstream) and lazy modules reach their size first
      const warm = await pool(Array.from({ length: 3 * CONCURRENCY }, (_, i) => () => faulty(`warm${Date.now()}`, i)), CONCURRENCY);
      expect(warm.every((x) => x.status === 200)).toBe(true);
      const before = await settled(fakePort);

      const tag = `leak${Date.now()}`;
      const t0 = performance.now();
      const done = await pool(Array.from({ length: LEAK_REQUESTS }, (_, i) => () => faulty(tag, i)), CONCURRENCY);
      const runMs = performance.now() - t0;
      const after = await settled(fakePort, before.fake);
      const report = `app fds ${before.app.fds} -> ${after.app.fds}, app sockets to the fake ${before.app.socketsTo[fakePort]} -> ${after.app.socketsTo[fakePort]}, ` +
        `fake inference connections ${before.fake.inference_open} -> ${after.fake.inference_open} (answers in flight ${after.fake.inference_in_flight}), rss ${before.app.rssKb} -> ${after.app.rssKb} kB, ${Math.round(runMs)} ms`;
      console.log(`07 leak check: ${report}`);

      // what each client saw: an answer begun, then cut (never a whole-looking one), never a hub error
      expect(done.filter((x) => x.status !== 200).map((x) => `${x.kind} ${x.status} ${x.error}`).slice(0, 5)).toEqual([]);
      expect(done.filter((x) => x.complete).map((x) => `${x.kind}: ${x.body.slice(-80)}`).slice(0, 5)).toEqual([]);
      // every upstream request ended: the hub gave up on the silent ones and on the left ones
      const seen = await fakeInferences(tag);
      expect(seen.length).toBe(LEAK_REQUESTS);
      expect(seen.filter((i) => !i.model!.includes("-reset-") && !i.aborted).map((i) => i.model).slice(0, 5)).toEqual([]);
      // nothing held: no upstream connection or answer left open, no file descriptor gained
      expect(after.fake.inference_in_flight, report).toBe(0);
      expect(after.fake.inference_open, report).toBeLessThanOrEqual(before.fake.inference_open);
      expect(after.app.socketsTo[fakePort], report).toBeLessThanOrEqual(before.app.socketsTo[fakePort]!);
      expect(after.app.fds, report).toBeLessThanOrEqual(before.app.fds + FD_SLACK);

      // one record each, completed=false with the cause; the rollups count them all
      const rows = await recordsOf(done.map((x) => x.requestId!), 30_000);
      const wrong = done.filter((x) => {
        const r = rows.get(x.requestId!)!;
        return r.completed || r.error_code !== EXPECTED_CODE[x.kind] || r.status_code !== 200;
      });
      expect(wrong.map((x) => `${x.kind}: ${JSON.stringify(rows.get(x.requestId!))}`).slice(0, 5)).toEqual([]);
      const all = await usageRowsOf(hubKeyId);
      const totals = await rollupTotalsOf(hubKeyId);
      expect(totals.hourly.requests).toBe(all.length);
      expect(totals.hourly.incomplete).toBe(all.filter((r) => !r.completed).length);
      expect(totals.daily).toBe(all.length);
      expect(totals.month).toBe(all.length);

      // a provider that goes silent or breaks off is the provider's doing, told by the usage record:
      // not a stack trace in the hub's log per request
      const log = readFileSync(inject("logPath"), "utf8");
      const mine = log.slice(log.lastIndexOf("===== 07-gateway-stream-faults"));
      expect(mine.match(/failed to pipe response|Unhandled error/g)?.length ?? 0, "error stacks logged for cut answers").toBe(0);
    }, 170_000);
  });
});
