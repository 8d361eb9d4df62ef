/**
 * A misbehaving provider: 1,000 key tests, 20 at a time, against endpoints that hang, reset the
 * connection, or answer garbage, HTML or 500s, across every provider type (built-in ones over the
 * shared keep-alive agent, custom ones over pinned one-off connections). Each result must name the
 * failure (timeout / unreachable / provider_error) within the key-test timeout plus a margin, and
 * afterwards the server must hold no more sockets to the provider and not many more file
 * descriptors than before, with a bounded growth of its resident memory.
 */
import { beforeAll, describe, expect, inject, it } from "vitest";
import type { ProviderType } from "../../lib/providers/catalogue";
import { TEST } from "../support/api";
import { Client } from "../support/client";
import { providerKey, type Behaviour } from "../support/keys";
import { useApp } from "./support/app-server";
import { faultAdmin } from "./support/context";
import { pct, pool } from "./support/load";
import { snapshot, type ProcSnapshot } from "./support/proc";
import { waitUntil } from "./support/services";

const TOTAL = 1000;
const CONCURRENCY = 20;
const MARGIN_MS = 3000;
const FD_SLACK = 25;
const RSS_BOUND_MB = 150;
/** Share of each behaviour (hangs cost the whole timeout, so they are the fewest) and the verdict it must get. */
const MIX: [Behaviour, number, string][] = [
  ["hang", 0.1, "timeout"],
  ["reset", 0.3, "unreachable"],
  ["garbage", 0.3, "provider_error"],
  ["html", 0.15, "provider_error"],
  ["error500", 0.15, "provider_error"],
];
const TYPES: ProviderType[] = ["openrouter", "openai", "anthropic", "google", "cohere", "groq", "together", "mistral", "custom"];

interface Case {
  type: ProviderType;
  behaviour: Behaviour;
  expected: string;
  key: string;
}

/** `n` cases in the MIX proportions over every provider type, in a fixed pseudo-random order. */
function cases(n: number, keys: Map<string, string>): Case[] {
  const list: Case[] = [];
  for (const [behaviour, share, expected] of MIX) {
    for (let i = 0; i < Math.round(n * share); i++) {
      const type = TYPES[i % TYPES.length]!;
      list.push({ type, behaviour, expected, key: keys.get(`${type}:${behaviour}`)! });
    }
  }
  let seed = 42;
  const rand = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  for (let i = list.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [list[i], list[j]] = [list[j]!, list[i]!];
  }
  return list;
}

describe("a provider that hangs, resets or answers garbage", () => {
  const app = useApp("03-provider-faults");
  let client: Client;
  let pid: number;
  const keys = new Map<string, string>();
  const fakePort = () => inject("faultsFakePort");
  const read = (): ProcSnapshot => snapshot(pid, [fakePort()]);

  beforeAll(async () => {
    client = await new Client(app.url()).signIn(faultAdmin("provider"));
    pid = app.pid();
    // One key per provider and behaviour, reused: the fake decides by the word in the key.
    for (const t of TYPES) for (const [b] of MIX) keys.set(`${t}:${b}`, providerKey(t, b));
  });

  const run = (c: Case) => async () => {
    const body: Record<string, unknown> = { provider_type: c.type, api_key: c.key };
    if (c.type === "custom") body.config = { base_url: inject("fakeBaseUrls").custom };
    const res = await client.post(TEST, body);
    return { c, status: res.status, code: res.body?.error_code as string | null, ms: res.ms, text: res.text };
  };

  it("names every failure within the timeout and leaks no socket, descriptor or memory", async () => {
    const timeoutMs = inject("timeoutMs");
    // Warm up (JIT, pools, the database connections used by the audit writes), then let it settle.
    await pool(cases(100, keys).map(run), CONCURRENCY);
    await waitUntil("no socket to the fake provider after the warm-up", async () => read().socketsTo[fakePort()] === 0, 30_000, 200);
    const before = read();

    const peak = { ...before, socketsTo: { ...before.socketsTo } };
    const sampler = setInterval(() => {
      const s = read();
      peak.fds = Math.max(peak.fds, s.fds);
      peak.rssKb = Math.max(peak.rssKb, s.rssKb);
      peak.socketsTo[fakePort()] = Math.max(peak.socketsTo[fakePort()]!, s.socketsTo[fakePort()]!);
    }, 200);
    const started = performance.now();
    const results = await pool(cases(TOTAL, keys).map(run), CONCURRENCY).finally(() => clearInterval(sampler));
    const elapsed = performance.now() - started;

    const settleMs = await waitUntil(
      "sockets to the fake provider and open descriptors back to the baseline",
      async () => {
        const s = read();
        return s.socketsTo[fakePort()]! <= before.socketsTo[fakePort()]! && s.fds <= before.fds + FD_SLACK;
      },
      30_000,
      200,
    ).catch(() => NaN);
    const after = read();

    const byBehaviour = MIX.map(([b]) => {
      const ms = results.filter((r) => r.c.behaviour === b).map((r) => r.ms);
      return `${b} x${ms.length} p50 ${Math.round(pct(ms, 50))} / p99 ${Math.round(pct(ms, 99))} / max ${Math.round(Math.max(...ms))} ms`;
    });
    const mb = (kb: number) => `${(kb / 1024).toFixed(1)} MB`;
    console.log(
      `[faults/provider] ${results.length} key tests in ${(elapsed / 1000).toFixed(1)} s at concurrency ${CONCURRENCY} (timeout ${timeoutMs} ms):\n  ${byBehaviour.join("\n  ")}\n` +
        `  server pid ${pid}: fds ${before.fds} -> peak ${peak.fds} -> ${after.fds}; sockets to the fake ${before.socketsTo[fakePort()]} -> peak ${peak.socketsTo[fakePort()]} -> ${after.socketsTo[fakePort()]}` +
        ` (settled in ${Math.round(settleMs)} ms); RSS ${mb(before.rssKb)} -> peak ${mb(peak.rssKb)} -> ${mb(after.rssKb)}`,
    );

    const wrong = results.filter((r) => r.status !== 200 || r.code !== r.c.expected);
    expect.soft(
      wrong.slice(0, 20).map((r) => `${r.c.type}/${r.c.behaviour}: ${r.status} ${r.code ?? r.text.slice(0, 120)}`),
      `${wrong.length} results without the expected verdict`,
    ).toEqual([]);
    const slow = results.filter((r) => r.ms > timeoutMs + MARGIN_MS);
    expect.soft(slow.slice(0, 20).map((r) => `${r.c.type}/${r.c.behaviour}: ${Math.round(r.ms)} ms`), `${slow.length} answers later than the timeout + ${MARGIN_MS} ms`).toEqual([]);

    expect.soft(after.socketsTo[fakePort()], "sockets to the fake provider after the run").toBeLessThanOrEqual(before.socketsTo[fakePort()]!);
    expect.soft(after.fds, "open file descriptors after the run").toBeLessThanOrEqual(before.fds + FD_SLACK);
    expect.soft(after.rssKb - before.rssKb, "RSS growth (kB)").toBeLessThan(RSS_BOUND_MB * 1024);
  });
});
