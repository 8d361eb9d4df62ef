import "server-only";
import { randomUUID } from "node:crypto";
import { ensureReady } from "@/lib/boot";
import { newDate } from "@/lib/clock";
import { readConfigVersion } from "@/lib/config-version/version";
import { markDatabaseDown } from "@/lib/db/client";
import type { HubKey } from "@/lib/db/schema";
import { getEnv } from "@/lib/env";
import { AppError, asAppError, isDatabaseOutage } from "@/lib/errors";
import { errorFields, log } from "@/lib/log";
import { checkBudget } from "@/lib/usage/budget";
import { admitHubKey } from "./access";
import { GatewayError, gatewayErrorResponse } from "./errors";
import type { IncomingMessage, ServerResponse } from "node:http";
import { type GatewayAnswer, type GatewayRequest, NODE_ENTRY, NodeGatewayRequest, webGatewayRequest } from "./request";
import type { GatewayOutcome } from "./proxy";
import { type GatewayEndpoint, type GatewayFacts, recordGatewayUsage } from "./record";

type Facts = Pick<GatewayFacts, "providerKeyId" | "providerType" | "route" | "modelRequested">;

export interface GatewayCallContext<P> {
  request: GatewayRequest;
  params: P;
  requestId: string;
  hubKey: HubKey;
  /** The configuration token read for this request (lib/config-version), for cached provider rows. */
  configVersion: string | null;
  maxBodyBytes: number;
  timeoutMs: number;
  /** Adds what the handler learnt (route, model, provider) to the request's usage record. */
  note(facts: Partial<Facts>): void;
  /** Records the request once it is over; pass it to the engine as `onFinish`. */
  finish(outcome: GatewayOutcome): void;
}

/**
 * Every gateway answer goes out as the hub wrote it: `Cache-Control: no-transform`, which Next's
 * compression (and any well-behaved proxy) honours. A stream must not wait in a compressor for
 * its flush, and when the provider breaks off, the events it sent just before would die in the
 * compressor as the connection is cut instead of reaching the client; a JSON answer is small next
 * to the time it took, and compressing it cost more CPU than the rest of the hub's work on it.
 * So both servers answer alike and the fast path installs no compression for these routes.
 */
function noTransform(headers: { get(name: string): string | null | undefined; set(name: string, value: string): void }): void {
  const cc = headers.get("cache-control");
  if (!cc) headers.set("cache-control", /^text\/event-stream/i.test(headers.get("content-type") ?? "") ? "no-cache, no-transform" : "no-transform");
  else if (!/(^|,)\s*no-transform\s*(,|$)/i.test(cc)) headers.set("cache-control", `${cc}, no-transform`);
}

const untransformed = (answer: GatewayAnswer): GatewayAnswer => {
  noTransform(answer.headers);
  return answer;
};

/**
 * 429 `budget_exceeded` (Retry-After: the next month) once the key's spend this UTC month reached
 * its budget. Before forwarding, so an exhausted key spends nothing more; listing models is free.
 */
async function refuseOverBudget(key: HubKey): Promise<void> {
  const b = await checkBudget({ id: key.id, monthlyBudgetUsd: key.monthlyBudgetUsd, name: key.name });
  if (b.exceeded) {
    throw new GatewayError(
      "budget_exceeded",
      `This hub key has spent its monthly budget ($${b.spentUsd.toFixed(2)} of $${b.budgetUsd.toFixed(2)}); it resets at the start of next month (UTC)`,
      b.retryAfterSeconds,
    );
  }
}

/** Our errors from lower layers, as the gateway's own (OpenAI-shaped) errors. */
function asGatewayError(raw: unknown): GatewayError | null {
  if (raw instanceof GatewayError) return raw;
  if (isDatabaseOutage(raw)) markDatabaseDown();
  const err = asAppError(raw);
  if (!(err instanceof AppError)) return null;
  if (err.status === 413) return new GatewayError("body_too_large", err.detail);
  if (err.status === 503) return new GatewayError("unavailable", err.detail, 5);
  if (err.status === 400) return new GatewayError("invalid_request", err.detail);
  return null;
}

const internalError = (requestId: string) =>
  Response.json(
    { error: { message: "Internal server error", type: "api_error", code: "internal_error" } },
    { status: 500, headers: { "cache-control": "no-store", "x-llmhub-request-id": requestId } },
  );

/**
 * The wrapper of every gateway route handler: readiness, the hub key and its rate limit (no session
 * and no CSRF check: apps call these with a hub key, not a browser's cookie), then the handler.
 * Refusals become the OpenAI error shape with `x-llmhub-request-id`; a request that presented a
 * valid key is recorded once, refused or not (but for "own-usage", a key reading its own figures).
 */
export function gatewayRoute<P = Record<string, never>>(endpoint: GatewayEndpoint | "own-usage", handler: (c: GatewayCallContext<P>) => Promise<GatewayAnswer>) {
  const run = async (request: GatewayRequest, params: P | undefined): Promise<GatewayAnswer> => {
    const requestId = randomUUID();
    const startedAt = newDate();
    const started = performance.now();
    /** Set once a valid hub key is admitted: a request is recorded from then on. */
    let facts: GatewayFacts | null = null;
    let recorded = false;
    const finish = (outcome: GatewayOutcome) => {
      if (recorded || !facts) return;
      recorded = true;
      recordGatewayUsage(outcome, facts);
    };
    try {
      await ensureReady();
      // a key may always read its own usage; everything else is a gateway call
      const scope = endpoint === "own-usage" ? null : "gateway";
      // one token for the request: the hub key and the provider rows are cached under it
      const configVersion = await readConfigVersion();
      const hubKey = await admitHubKey(request.headers, configVersion, scope);
      // a key looking up its own usage is not an LLM request: not recorded
      if (endpoint !== "own-usage") facts = { requestId, hubKeyId: hubKey.id, endpoint, providerKeyId: null, providerType: null, route: null, modelRequested: null };
      if (endpoint !== "models" && endpoint !== "own-usage") await refuseOverBudget(hubKey);
      const env = getEnv();
      const answer = await handler({
        request,
        params: params ?? ({} as P),
        requestId,
        hubKey,
        configVersion,
        maxBodyBytes: env.GATEWAY_MAX_BODY_BYTES,
        timeoutMs: env.GATEWAY_TIMEOUT_MS,
        note: (f) => {
          if (facts) Object.assign(facts, f);
        },
        finish,
      });
      return untransformed(answer);
    } catch (raw) {
      const err = asGatewayError(raw);
      if (!err) log.error(`Unhandled error in gateway ${request.method} ${new URL(request.url).pathname}`, errorFields(raw));
      const status = err?.status ?? 500;
      finish({
        startedAt,
        stream: false,
        statusCode: status,
        errorCode: err?.code ?? "internal_error",
        modelServed: null,
        latencyMs: Math.round((performance.now() - started) * 10) / 10,
        ttfbMs: null,
        inputTokens: null,
        outputTokens: null,
        cachedTokens: null,
        reasoningTokens: null,
        providerCostUsd: null,
        completed: false,
      });
      return untransformed(err ? gatewayErrorResponse(err, requestId) : internalError(requestId));
    }
  };
  // Next's route function, and the same handler for a request the fast path hands over as Node's own
  const viaNext = async (request: Request, route: { params: Promise<P> }): Promise<Response> => {
    const answer = await run(webGatewayRequest(request), await route?.params);
    // only a request with `writesNode` is answered with a NodeAnswer
    if (!(answer instanceof Response)) throw new Error("gateway: a Node answer to a Web request");
    return answer;
  };
  const viaNode = (req: IncomingMessage, res: ServerResponse, params: P, origin: string): Promise<GatewayAnswer> => run(new NodeGatewayRequest(req, res, origin), params);
  return Object.assign(viaNext, { [NODE_ENTRY]: viaNode });
}

/** A method the endpoint does not serve, in the OpenAI error shape. */
export function gatewayMethodNotAllowed(allow: string) {
  const answer = () =>
    Response.json(
      { error: { message: `Method not allowed (this endpoint accepts ${allow})`, type: "invalid_request_error", code: "method_not_allowed" } },
      { status: 405, headers: { allow, "cache-control": "no-store" } },
    );
  // marked like lib/api/method-not-allowed.ts, for the OpenAPI coverage test
  return Object.assign(answer, { methodNotAllowed: true as const });
}
