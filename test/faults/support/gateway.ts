/**
 * The gateway as the fault suite drives it from outside: one request on its own connection (read to
 * its end, or left after a few chunks), what the fake provider saw and holds open, and the usage
 * records and rollups the app wrote for a hub key.
 */
import http from "node:http";
import { inject } from "vitest";
import { withSql } from "../../support/db";

/** What a client saw of one gateway request. */
export interface Exchange {
  /** HTTP status; 0 when no answer came at all. */
  status: number;
  /** `x-llmhub-request-id`, when the hub answered. */
  requestId: string | null;
  /** The body arrived whole (the HTTP message ended properly); false when it was cut or the client left. */
  complete: boolean;
  /** SSE `data:` events received with a content delta. */
  contentChunks: number;
  body: string;
  /** The client gave up (leaveAfter reached). */
  left: boolean;
  /** A socket error seen by the client (a cut stream, a refused connection). */
  error: string | null;
}

/**
 * POSTs `body` to `url` with the hub key on a connection of its own (no keep-alive pool: what the
 * app holds for it must go when the exchange ends) and reads the answer to its end, or leaves after
 * `leaveAfter` content chunks by destroying the connection, as a client that goes away does.
 */
export function exchange(url: string, hubKey: string, body: unknown, o: { leaveAfter?: number; headers?: Record<string, string> } = {}): Promise<Exchange> {
  return new Promise((resolve) => {
    const out: Exchange = { status: 0, requestId: null, complete: false, contentChunks: 0, body: "", left: false, error: null };
    const req = http.request(url, {
      method: "POST",
      agent: false,
      headers: { authorization: `Bearer ${hubKey}`, "content-type": "application/json", ...o.headers },
    });
    let settled = false;
    const done = () => {
      if (settled) return;
      settled = true;
      resolve(out);
    };
    req.on("response", (res) => {
      out.status = res.statusCode ?? 0;
      out.requestId = (res.headers["x-llmhub-request-id"] as string | undefined) ?? null;
      res.setEncoding("utf8");
      res.on("data", (text: string) => {
        out.body += text;
        out.contentChunks += text.match(/"(content|text)":"[^"]/g)?.length ?? 0;
        if (o.leaveAfter !== undefined && out.contentChunks >= o.leaveAfter && !out.left) {
          out.left = true;
          req.destroy();
        }
      });
      res.on("error", (err) => void (out.error ??= err.message));
      res.on("close", () => {
        out.complete = res.complete;
        done();
      });
    });
    req.on("error", (err) => {
      out.error ??= err.message;
      done();
    });
    req.end(JSON.stringify(body));
  });
}

interface FakeInference {
  model: string | null;
  stream: boolean;
  status: number | null;
  aborted: boolean;
  completed: boolean;
  chunkTimes: number[];
  usage: { inputTokens: number; outputTokens: number } | null;
}

/** The inference requests the fake received whose model contains `tag`. */
export async function fakeInferences(tag: string): Promise<FakeInference[]> {
  const res = await fetch(`${inject("fakeUrl")}/__fake/requests?model=${encodeURIComponent(tag)}`);
  const all = (await res.json()) as { inference?: FakeInference }[];
  return all.flatMap((r) => (r.inference ? [r.inference] : []));
}

export interface FakeConnections {
  open: number;
  /** Connections that carried an inference request (the gateway's upstream connections), still open. */
  inference_open: number;
  /** Inference answers whose response is not closed yet. */
  inference_in_flight: number;
}

export async function fakeConnections(): Promise<FakeConnections> {
  return (await (await fetch(`${inject("fakeUrl")}/__fake/connections`)).json()) as FakeConnections;
}

export interface UsageRow {
  request_id: string;
  model_requested: string | null;
  endpoint: string;
  stream: boolean;
  status_code: number;
  error_code: string | null;
  completed: boolean;
  ttfb_ms: number | null;
  latency_ms: number;
  input_tokens: number | null;
  output_tokens: number | null;
}

/** Every usage record of a hub key. */
export const usageRowsOf = (hubKeyId: string) =>
  withSql((sql) => sql<UsageRow[]>`select request_id, model_requested, endpoint, stream, status_code, error_code, completed,
    ttfb_ms, latency_ms, input_tokens, output_tokens from usage_records where hub_key_id = ${hubKeyId}`);

/** A hub key's totals as the hourly and daily rollups and its month total hold them. */
export const rollupTotalsOf = (hubKeyId: string) =>
  withSql(async (sql) => {
    const [hourly] = await sql<{ requests: number; errors: number; incomplete: number; output: number }[]>`
      select coalesce(sum(requests), 0)::int requests, coalesce(sum(errors), 0)::int errors,
        coalesce(sum(incomplete), 0)::int incomplete, coalesce(sum(output_tokens), 0)::int output
      from usage_rollups where hub_key_id = ${hubKeyId}`;
    const [daily] = await sql<{ requests: number }[]>`select coalesce(sum(requests), 0)::int requests from usage_rollups_daily where hub_key_id = ${hubKeyId}`;
    const [month] = await sql<{ requests: number }[]>`select coalesce(sum(requests), 0)::int requests from usage_key_months where hub_key_id = ${hubKeyId}`;
    return { hourly: hourly!, daily: daily!.requests, month: month!.requests };
  });
