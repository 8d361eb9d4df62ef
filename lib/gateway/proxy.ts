/**
 * The gateway engine: forwards one request to the provider it was routed to and streams the answer
 * back. The caller (a route handler) has already checked the hub key, the model against the key's
 * patterns, the budget and limits, and resolved the provider (its base URL, decrypted key and, for
 * custom endpoints, the address the SSRF policy checked). The engine injects the provider's key,
 * keeps the client's own credentials and the key's echoes from crossing, streams with back-pressure,
 * bounds the time to first byte and the idle time between chunks, aborts upstream when the client
 * leaves, and reports what the request used once it is over.
 */
import "server-only";
import { newDate } from "@/lib/clock";
import type { ProviderType } from "@/lib/providers/catalogue";
import { gatewayError, GatewayError, type GatewayErrorCode } from "./errors";
import { sendUpstream, UpstreamError, type PinnedAddress, type UpstreamResponse } from "./forward";
import { clientResponseHeaders, upstreamRequestHeaders } from "./headers";
import { Redactor } from "./redact";
import { prepareCompatBody, prepareNativeChatBody } from "./request-body";
import { createBodyProcessor } from "./response-body";
import { type GatewayAnswer, type GatewayRequest, nodeAnswer, type NodeBodyWriter } from "./request";
import { streamBody, writeBodyToNode } from "./stream-body";
import { compatUrl, nativeUrl } from "./upstream-url";
import type { UsageCounts } from "./usage";

export interface GatewayTarget {
  providerType: ProviderType;
  /** The route the client named: the provider type, or a custom endpoint's slug. */
  route: string;
  /** The provider's base URL (override or custom endpoint URL). */
  baseUrl: string;
  /** The decrypted provider key; null for a custom endpoint without one. Never logged. */
  apiKey: string | null;
  /** The redactor of `apiKey`, when the caller keeps one with the key (lib/gateway/targets.ts); else made per call. */
  redactor?: Redactor;
  /** The checked address of a custom endpoint (connect there, keep the URL's host), else null. */
  pinned: PinnedAddress | null;
}

export type GatewayCall =
  /** An OpenAI-compatible call: its parsed body (parseCompatBody) and the provider's own model id. */
  | { endpoint: "chat" | "embeddings"; body: Record<string, unknown>; upstreamModel: string }
  /** `/native/{route}{path}`: the path after the route (still %-encoded), the query, the body as read. */
  | { endpoint: "native"; path: string; search: string; body: Uint8Array };

/** What a request used and how it went: the usage record's fields the engine knows (gateway.md §4). */
export interface GatewayOutcome {
  startedAt: Date;
  /** The client asked for a streamed answer (`stream: true`, `:streamGenerateContent`), or got one. */
  stream: boolean;
  /** The status the client got (499: the client left before any answer). */
  statusCode: number;
  /**
   * Null for a provider 2xx that arrived whole. Otherwise the hub's error code, `upstream_error`
   * (the provider answered an error status), `upstream_timeout` (also: silent mid-answer),
   * `upstream_reset` (the provider broke off), `client_closed`, or `internal_error`.
   */
  errorCode: string | null;
  modelServed: string | null;
  latencyMs: number;
  /** Until the provider's status line and headers; null when none came. */
  ttfbMs: number | null;
  inputTokens: number | null;
  outputTokens: number | null;
  cachedTokens: number | null;
  reasoningTokens: number | null;
  /** The provider's own cost figure (OpenRouter); when set, cost_source is `provider`. */
  providerCostUsd: number | null;
  /** False when the client or the provider cut the answer short. */
  completed: boolean;
}

export interface ProxyInput {
  /** The client's request: its method, headers (credentials are never forwarded) and abort signal. */
  request: GatewayRequest;
  call: GatewayCall;
  target: GatewayTarget;
  /** Ours; sent back as `x-llmhub-request-id`. */
  requestId: string;
  /** GATEWAY_TIMEOUT_MS: bound on the time to first byte, and on the idle time between chunks. */
  timeoutMs: number;
  /** Called once, when the answer is complete or was cut; must not throw (errors are swallowed). */
  onFinish: (outcome: GatewayOutcome) => void;
}

const JSON_TYPE = "application/json";
const NO_USAGE: UsageCounts = { modelServed: null, inputTokens: null, outputTokens: null, cachedTokens: null, reasoningTokens: null, providerCostUsd: null };
const NULL_BODY_STATUS = new Set([101, 204, 205, 304]);

interface Plan {
  url: Readonly<URL>;
  body: Buffer | Uint8Array | null;
  contentType?: string;
  injectedUsage: boolean;
  /** The client asked for a streamed answer. */
  stream: boolean;
}

const asksForStream = (bytes: Uint8Array): boolean => {
  // a cheap look first: most native bodies are not streams, and some are large
  if (Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).indexOf('"stream"') < 0) return false;
  try {
    return (JSON.parse(Buffer.from(bytes).toString("utf8")) as { stream?: unknown })?.stream === true;
  } catch {
    return false;
  }
};

function plan(call: GatewayCall, target: GatewayTarget, method: string): Plan {
  if (call.endpoint !== "native") {
    const prepared = prepareCompatBody(call.body, call.upstreamModel, target.providerType, call.endpoint);
    return {
      url: compatUrl(target.providerType, target.baseUrl, call.endpoint),
      body: prepared.bytes,
      contentType: JSON_TYPE,
      injectedUsage: prepared.injectedUsage,
      stream: call.body.stream === true,
    };
  }
  const url = nativeUrl(target.providerType, target.baseUrl, call.path, call.search);
  const hasBody = method !== "GET" && method !== "HEAD";
  // the OpenAI SDK on /native/{route}: the compatible chat, with the same usage handling
  const chat = hasBody && /\/chat\/completions$/.test(url.pathname) ? prepareNativeChatBody(call.body, target.providerType) : null;
  if (chat) return { url, body: chat.bytes, contentType: JSON_TYPE, injectedUsage: true, stream: true };
  const stream = /:streamGenerateContent$/.test(url.pathname) || (hasBody && asksForStream(call.body));
  return { url, body: hasBody ? call.body : null, injectedUsage: false, stream };
}

/**
 * Forwards the request and resolves with the Response to return: the provider's status, headers
 * and (streaming) body, or one of the hub's errors (502 upstream_unreachable, 504 upstream_timeout,
 * 400 for a native path that would leave the provider's base). `onFinish` follows once it is over.
 * For a request the fast path handed over as Node's own (`writesNode`), a provider's answer comes
 * as a NodeAnswer, its body written straight to Node's response.
 */
export async function proxyGatewayRequest(input: ProxyInput): Promise<GatewayAnswer> {
  const started = performance.now();
  const startedAt = newDate();
  const { request, target, requestId } = input;
  let finished = false;
  // the outcome is one object literal, not spreads (see lib/gateway/record.ts: usageInputOf)
  const finish = (u: UsageCounts, stream: boolean, statusCode: number, errorCode: string | null, ttfbMs: number | null, completed: boolean) => {
    if (finished) return;
    finished = true;
    try {
      input.onFinish({
        startedAt,
        stream,
        statusCode,
        errorCode,
        modelServed: u.modelServed,
        latencyMs: round(performance.now() - started),
        ttfbMs,
        inputTokens: u.inputTokens,
        outputTokens: u.outputTokens,
        cachedTokens: u.cachedTokens,
        reasoningTokens: u.reasoningTokens,
        providerCostUsd: u.providerCostUsd,
        completed,
      });
    } catch {
      // the record is the caller's business; a failure there must not break the answer
    }
  };
  let asked = false;
  const hubError = (err: GatewayError) => {
    finish(NO_USAGE, asked, err.status, err.code, null, false);
    return gatewayError(err.code, err.message, { requestId });
  };
  const fail = (code: GatewayErrorCode, message: string) => hubError(new GatewayError(code, message));

  let p: Plan;
  try {
    p = plan(input.call, target, request.method);
  } catch (err) {
    if (err instanceof GatewayError) return hubError(err);
    throw err;
  }
  asked = p.stream;
  const redactor = target.redactor ?? new Redactor(target.apiKey);
  const headers = upstreamRequestHeaders(request.headers, {
    providerType: target.providerType,
    apiKey: target.apiKey,
    upstreamUrl: p.url,
    bodyLength: p.body ? p.body.byteLength : null,
    contentType: p.contentType,
  });

  let upstream: UpstreamResponse;
  try {
    upstream = await sendUpstream({ url: p.url, method: request.method, headers, body: p.body, pinned: target.pinned, timeoutMs: input.timeoutMs, signal: request.signal });
  } catch (err) {
    if (!(err instanceof UpstreamError)) throw err;
    if (err.kind === "aborted") {
      finish(NO_USAGE, asked, 499, "client_closed", null, false);
      return new Response(null, { status: 499 });
    }
    if (err.kind === "timeout") return fail("upstream_timeout", `The provider did not answer within ${input.timeoutMs} ms`);
    return fail("upstream_unreachable", `The provider could not be reached: ${err.message}`);
  }
  const ttfbMs = round(performance.now() - started);

  const contentType = String(upstream.headers["content-type"] ?? "").toLowerCase();
  const sse = contentType.startsWith("text/event-stream");
  const status = upstream.status >= 200 && upstream.status <= 599 ? upstream.status : 502;
  const outHeaders = clientResponseHeaders(upstream.headers, redactor);
  outHeaders.set("x-llmhub-request-id", requestId);
  const processor = createBodyProcessor({ sse, json: /[/+]json\b/.test(contentType), stripUsageChunk: p.injectedUsage && sse, redactor });
  const stream = asked || sse;
  const upstreamError = status >= 400 ? "upstream_error" : null;
  const report = (completed: boolean, errorCode: string | null) =>
    finish(processor.usage(), stream, status, errorCode ?? upstreamError, ttfbMs, completed);

  if (NULL_BODY_STATUS.has(status) || request.method === "HEAD") {
    upstream.destroy();
    report(true, null);
    return request.writesNode ? nodeAnswer(status, outHeaders, endEmpty) : new Response(null, { status, headers: [...outHeaders] });
  }
  if (request.writesNode) {
    // the fast path sends the status and headers, then hands the Node response to this
    return nodeAnswer(status, outHeaders, (res) => writeBodyToNode(upstream, processor, input.timeoutMs, request.signal, report, res));
  }
  const body = streamBody(upstream, processor, input.timeoutMs, request.signal, report);
  return new Response(body, { status, headers: [...outHeaders] });
}

const endEmpty: NodeBodyWriter = async (res) => {
  res.end();
};

const round = (ms: number) => Math.round(ms * 10) / 10;
