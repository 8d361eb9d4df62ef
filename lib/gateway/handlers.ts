import "server-only";
import { textResponse } from "@/lib/api/error-reply";
import { checkAllowed } from "./access";
import { GatewayError } from "./errors";
import { normalizePattern, parseGatewayModel } from "@/lib/providers/model-route";
import { ModelCatalog } from "./models";
import { proxyGatewayRequest } from "./proxy";
import type { GatewayAnswer } from "./request";
import { MODEL_LISTING } from "./record";
import { nativeModel, parseCompatBody } from "./request-body";
import type { GatewayCallContext } from "./route";
import { configuredSources, resolveTarget } from "./targets";

/**
 * What each gateway endpoint does once the hub key is admitted (route.ts): read the body within
 * GATEWAY_MAX_BODY_BYTES, check the model against the key's patterns before anything about the
 * provider is revealed, resolve the provider, and hand the request to the engine.
 */

const NATIVE_PREFIX = "/api/v1/llm/gateway/native/";

const bodyOf = (c: GatewayCallContext<unknown>) => c.request.bytes(c.maxBodyBytes);

/** POST /v1/chat/completions and /v1/embeddings: `model` is `<route>/<provider's model id>`. */
export async function handleCompat(c: GatewayCallContext<unknown>, endpoint: "chat" | "embeddings"): Promise<GatewayAnswer> {
  const parsed = parseCompatBody(await bodyOf(c));
  const { route, model } = parsed.model;
  c.note({ route, modelRequested: `${route}/${model}` });
  checkAllowed(c.hubKey, route, parsed.model);
  const target = await resolveTarget(route, c.configVersion);
  c.note({ providerKeyId: target.providerKeyId, providerType: target.providerType });
  return proxyGatewayRequest({ request: c.request, call: { endpoint, body: parsed.body, upstreamModel: model }, target, requestId: c.requestId, timeoutMs: c.timeoutMs, onFinish: c.finish });
}

/**
 * `/native/{route}/{path…}`: the path is taken from the request URL as the client sent it (still
 * %-encoded: the engine checks and forwards it as is), with the query string.
 */
export async function handleNative(c: GatewayCallContext<{ route: string }>): Promise<GatewayAnswer> {
  const url = new URL(c.request.url);
  const rest = url.pathname.startsWith(NATIVE_PREFIX) ? url.pathname.slice(NATIVE_PREFIX.length) : "";
  const slash = rest.indexOf("/");
  if (slash <= 0) throw new GatewayError("invalid_request", "Native calls are /api/v1/llm/gateway/native/{route}/{path}");
  let route: string;
  try {
    route = decodeURIComponent(rest.slice(0, slash)).toLowerCase();
  } catch {
    throw new GatewayError("unknown_model", "Invalid route in the native path");
  }
  const path = rest.slice(slash);
  c.note({ route });
  const body = await bodyOf(c);
  const id = nativeModel(path, body);
  c.note({ modelRequested: id });
  const model = id === null ? null : (parseGatewayModel(`${route}/${id}`) ?? { route, model: id });
  checkAllowed(c.hubKey, route, model);
  const target = await resolveTarget(route, c.configVersion);
  c.note({ providerKeyId: target.providerKeyId, providerType: target.providerType });
  return proxyGatewayRequest({ request: c.request, call: { endpoint: "native", path, search: url.search, body }, target, requestId: c.requestId, timeoutMs: c.timeoutMs, onFinish: c.finish });
}

const g = globalThis as unknown as { __llmhubModelCatalog?: ModelCatalog };

/** GET /v1/models: every configured provider's models that the key may use (lists cached). */
export async function handleModels(c: GatewayCallContext<unknown>): Promise<Response> {
  c.note(MODEL_LISTING);
  const started = performance.now();
  const startedAt = new Date();
  const allowed = c.hubKey.allowed;
  // a route is asked for its list only when the key may use some model of it
  // (a wildcard in a pattern's route part may reach any route: the catalogue filters exactly)
  const mayUse = (route: string) =>
    allowed.length === 0 ||
    allowed.some((raw) => {
      const p = normalizePattern(raw);
      const head = p === "*" ? "*" : p.slice(0, p.indexOf("/"));
      return head.includes("*") || head === route;
    });
  const sources = await configuredSources(mayUse, c.configVersion);
  g.__llmhubModelCatalog ??= new ModelCatalog();
  const { body } = await g.__llmhubModelCatalog.list(sources, allowed);
  const latencyMs = Math.round((performance.now() - started) * 10) / 10;
  c.finish({ startedAt, stream: false, statusCode: 200, errorCode: null, modelServed: null, latencyMs, ttfbMs: latencyMs, inputTokens: null, outputTokens: null, cachedTokens: null, reasoningTokens: null, providerCostUsd: null, completed: true });
  return textResponse(JSON.stringify(body), 200, { "content-type": "application/json", "cache-control": "no-store", "x-llmhub-request-id": c.requestId });
}
