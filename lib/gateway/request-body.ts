/**
 * The request bodies the gateway reads: the JSON of an OpenAI-compatible call (to route it by its
 * `model` and send the provider its own model id), and what a native call names as its model (to
 * check it against the hub key's patterns). The hub rewrites only `model` and, for a streamed chat,
 * `stream_options.include_usage`; everything else reaches the provider as the client sent it.
 */
import type { ProviderType } from "@/lib/providers/catalogue";
import { GatewayError } from "./errors";
import { parseGatewayModel, type GatewayModel } from "@/lib/providers/model-route";

export interface CompatRequest {
  body: Record<string, unknown>;
  model: GatewayModel;
  stream: boolean;
}

const utf8 = new TextDecoder("utf-8", { fatal: true });

/** Parses an OpenAI-compatible request body; 400 for a body that is not a JSON object with a string `model`, 404 for a model without a route. */
export function parseCompatBody(bytes: Uint8Array): CompatRequest {
  let value: unknown;
  try {
    value = JSON.parse(utf8.decode(bytes));
  } catch {
    throw new GatewayError("invalid_request", "Request body must be JSON (UTF-8)");
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) throw new GatewayError("invalid_request", "Request body must be a JSON object");
  const body = value as Record<string, unknown>;
  if (typeof body.model !== "string" || body.model.trim() === "") throw new GatewayError("invalid_request", "model: required, as '<route>/<model>' (e.g. 'openai/gpt-4o-mini')");
  const model = parseGatewayModel(body.model);
  if (!model) throw new GatewayError("unknown_model", "model must be '<route>/<model>', where route is a provider type or a custom endpoint's slug (e.g. 'openai/gpt-4o-mini')");
  if (body.stream !== undefined && typeof body.stream !== "boolean") throw new GatewayError("invalid_request", "stream: must be true or false");
  return { body, model, stream: body.stream === true };
}

/**
 * Cohere's compatibility API refuses `stream_options`, so the hub never adds it there (usage is
 * recorded from whatever the stream carries).
 */
const NO_STREAM_OPTIONS: ReadonlySet<ProviderType> = new Set(["cohere"]);

export interface PreparedBody {
  bytes: Buffer;
  /** The hub asked for the stream's usage chunk: the client did not, so it must not get it. */
  injectedUsage: boolean;
}

/**
 * The body sent upstream for a chat or embeddings call: the provider's own model id, and for a
 * streamed chat `stream_options.include_usage: true` when the client did not ask for it.
 */
export function prepareCompatBody(body: Record<string, unknown>, upstreamModel: string, providerType: ProviderType, endpoint: "chat" | "embeddings"): PreparedBody {
  const out: Record<string, unknown> = { ...body, model: upstreamModel };
  const injectedUsage = endpoint === "chat" && wantsUsageInjected(out, providerType);
  if (injectedUsage) {
    const existing = out.stream_options;
    out.stream_options = { ...(typeof existing === "object" && existing !== null && !Array.isArray(existing) ? existing : {}), include_usage: true };
  }
  return { bytes: Buffer.from(JSON.stringify(out)), injectedUsage };
}

function wantsUsageInjected(body: Record<string, unknown>, providerType: ProviderType): boolean {
  if (body.stream !== true || NO_STREAM_OPTIONS.has(providerType)) return false;
  const options = body.stream_options as { include_usage?: unknown } | null | undefined;
  return !(typeof options === "object" && options !== null && options.include_usage === true);
}

/**
 * For a native call whose path is the provider's OpenAI-compatible chat (the OpenAI SDK on
 * `/native/openai`): the same usage chunk handling as the compatible endpoint. Returns null when the
 * body is left as it came.
 */
export function prepareNativeChatBody(bytes: Uint8Array, providerType: ProviderType): PreparedBody | null {
  const body = jsonObject(bytes);
  if (!body || !wantsUsageInjected(body, providerType)) return null;
  const existing = body.stream_options;
  const out = { ...body, stream_options: { ...(typeof existing === "object" && existing !== null && !Array.isArray(existing) ? existing : {}), include_usage: true } };
  return { bytes: Buffer.from(JSON.stringify(out)), injectedUsage: true };
}

function jsonObject(bytes: Uint8Array): Record<string, unknown> | null {
  if (bytes.length === 0) return null;
  try {
    const v: unknown = JSON.parse(utf8.decode(bytes));
    return typeof v === "object" && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

const GEMINI_MODEL = /\/models\/([^/:]+):[A-Za-z]+$/;

/**
 * The model a native call is for, in the provider's own id: Gemini's from the path
 * (`…/models/{model}:generateContent`), anyone else's from the JSON body's `model`. Null when the
 * call names none (a model list, a file upload): then the key must be allowed the whole route.
 * A native body is forwarded as it came, so a body naming `model` twice is refused: the hub and the
 * provider's parser could each read a different one.
 */
export function nativeModel(path: string, bytes: Uint8Array): string | null {
  const g = GEMINI_MODEL.exec(path);
  if (g?.[1]) {
    try {
      return decodeURIComponent(g[1]);
    } catch {
      return null;
    }
  }
  const body = jsonObject(bytes);
  if (!body) return null;
  if (topLevelKeyCount(Buffer.from(bytes).toString("utf8"), "model") > 1) throw new GatewayError("invalid_request", "model: given more than once");
  return typeof body.model === "string" && body.model !== "" ? body.model : null;
}

/** How many times `key` names a member of the top-level object of a JSON text (which must parse). */
export function topLevelKeyCount(json: string, key: string): number {
  let depth = 0;
  let count = 0;
  let expectKey = false;
  for (let i = 0; i < json.length; i++) {
    const ch = json[i];
    if (ch === '"') {
      const start = i + 1;
      for (i = start; i < json.length && json[i] !== '"'; i++) if (json[i] === "\\") i++;
      if (depth === 1 && expectKey) {
        let name: unknown;
        try {
          name = JSON.parse(json.slice(start - 1, i + 1));
        } catch {
          name = null;
        }
        if (name === key) count++;
      }
      expectKey = false;
    } else if (ch === "{") {
      depth++;
      expectKey = depth === 1;
    } else if (ch === "[") depth++;
    else if (ch === "}" || ch === "]") depth--;
    else if (ch === "," && depth === 1) expectKey = true;
  }
  return count;
}
