/**
 * `GET /v1/models` of the gateway: the models a hub key may use, gathered from each configured
 * provider's own model list (fetched with the provider's key, cached), as
 * `{"object":"list","data":[{"id":"openai/gpt-4o-mini","object":"model","created":…,"owned_by":…}]}`.
 *
 * One provider failing (down, slow, key refused) leaves the others' models in the answer: it is
 * served from its last good list if there is one, else left out, and is asked again after a short
 * pause rather than on every request. Only the first page of each list is read, asked as large as
 * the provider allows (1,000).
 */
import "server-only";
import { createHash } from "node:crypto";
import { probe } from "@/lib/net/http-probe";
import type { ProviderType } from "@/lib/providers/catalogue";
import { ANTHROPIC_VERSION, joinUrl, USER_AGENT } from "@/lib/providers/requests";
import type { PinnedAddress } from "./forward";
import { isModelAllowed } from "@/lib/providers/model-route";
import { Redactor } from "./redact";
import { compatUrl } from "./upstream-url";

export interface ModelSource {
  /** The route clients name: the provider type, or a custom endpoint's slug. */
  route: string;
  providerType: ProviderType;
  baseUrl: string;
  apiKey: string | null;
  pinned: PinnedAddress | null;
}

export interface ModelEntry {
  id: string;
  object: "model";
  created: number;
  owned_by: string;
}

export interface ModelList {
  object: "list";
  data: ModelEntry[];
}

export interface ModelCatalogOptions {
  /** How long a provider's list is kept (default 5 minutes). */
  ttlMs?: number;
  /** How long a provider that failed is left alone before it is asked again (default 30 s). */
  retryAfterFailureMs?: number;
  /** Bound on one provider's answer (default 10 s). */
  timeoutMs?: number;
}

interface Entry {
  models: ModelEntry[] | null;
  expires: number;
  inflight: Promise<void> | null;
}

const MAX_LIST_BYTES = 8 * 1024 * 1024;
const ID_SHAPE = /^[^\s\u0000-\u001f\u007f]{1,256}$/;

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);

/** The request for a provider's model list: its URL and its own credential header. */
export function modelListRequest(s: ModelSource): { url: Readonly<URL>; headers: Record<string, string> } {
  const headers: Record<string, string> = { "user-agent": USER_AGENT, accept: "application/json" };
  const base = new URL(s.baseUrl);
  const key = s.apiKey;
  switch (s.providerType) {
    case "anthropic":
      if (key) headers["x-api-key"] = key;
      headers["anthropic-version"] = ANTHROPIC_VERSION;
      return { url: joinUrl(base, "models", { limit: "1000" }), headers };
    case "google":
      if (key) headers["x-goog-api-key"] = key;
      return { url: joinUrl(base, "models", { pageSize: "1000" }), headers };
    case "cohere": {
      if (key) headers.authorization = `Bearer ${key}`;
      const path = /\/v1\/?$/.test(base.pathname) ? "models" : "v1/models";
      return { url: joinUrl(base, path, { page_size: "1000" }), headers };
    }
    case "openrouter":
      // OpenRouter's list is public: the key is not sent where it is not needed
      return { url: compatUrl("openrouter", s.baseUrl, "models"), headers };
    default:
      if (key) headers.authorization = `Bearer ${key}`;
      return { url: compatUrl(s.providerType, s.baseUrl, "models"), headers };
  }
}

/** The models of a provider's list answer, whichever of the shapes it uses. */
export function parseModelList(s: ModelSource, body: unknown): ModelEntry[] {
  const items = Array.isArray(body) ? body : isObj(body) ? (Array.isArray(body.data) ? body.data : Array.isArray(body.models) ? body.models : null) : null;
  if (!items) throw new Error("not a model list");
  const out: ModelEntry[] = [];
  for (const item of items) {
    if (!isObj(item)) continue;
    const raw = typeof item.id === "string" ? item.id : typeof item.name === "string" ? item.name : null;
    const id = raw?.replace(/^models\//, "");
    if (!id || !ID_SHAPE.test(id)) continue;
    const created = typeof item.created === "number" ? item.created : typeof item.created_at === "string" ? Math.floor(Date.parse(item.created_at) / 1000) || 0 : 0;
    const owner = typeof item.owned_by === "string" ? item.owned_by : typeof item.organization === "string" ? item.organization : s.route;
    out.push({ id: `${s.route}/${id}`, object: "model", created, owned_by: owner.slice(0, 100) });
  }
  return out;
}

export class ModelCatalog {
  private readonly cache = new Map<string, Entry>();
  private readonly ttlMs: number;
  private readonly retryMs: number;
  private readonly timeoutMs: number;

  constructor(opts: ModelCatalogOptions = {}) {
    this.ttlMs = opts.ttlMs ?? 5 * 60_000;
    this.retryMs = opts.retryAfterFailureMs ?? 30_000;
    this.timeoutMs = opts.timeoutMs ?? 10_000;
  }

  /**
   * The models of every source that the patterns allow (an empty list allows all), in source order.
   * `failed` names the routes whose models are missing because their provider could not be read.
   */
  async list(sources: readonly ModelSource[], allowed: readonly string[]): Promise<{ body: ModelList; failed: string[] }> {
    const lists = await Promise.all(sources.map((s) => this.modelsOf(s)));
    const data: ModelEntry[] = [];
    const seen = new Set<string>();
    const failed: string[] = [];
    lists.forEach((models, i) => {
      if (models === null) return void failed.push(sources[i]!.route);
      for (const m of models) {
        if (seen.has(m.id)) continue;
        const slash = m.id.indexOf("/");
        if (!isModelAllowed(allowed, { route: m.id.slice(0, slash), model: m.id.slice(slash + 1) })) continue;
        seen.add(m.id);
        data.push(m);
      }
    });
    return { body: { object: "list", data }, failed };
  }

  /** Forgets every cached list (after a provider's key or base URL changed). */
  invalidate(): void {
    this.cache.clear();
  }

  private async modelsOf(s: ModelSource): Promise<ModelEntry[] | null> {
    const id = cacheKey(s);
    let entry = this.cache.get(id);
    if (!entry) {
      entry = { models: null, expires: 0, inflight: null };
      this.cache.set(id, entry);
    }
    if (Date.now() >= entry.expires) {
      entry.inflight ??= this.refresh(s, entry).finally(() => {
        entry.inflight = null;
      });
      // a stale list answers at once while the new one is fetched; without one, wait for it
      if (entry.models === null) await entry.inflight;
    }
    return entry.models;
  }

  private async refresh(s: ModelSource, entry: Entry): Promise<void> {
    try {
      const { url, headers } = modelListRequest(s);
      const res = await probe({ url, method: "GET", headers, address: s.pinned ?? undefined, timeoutMs: this.timeoutMs, maxBytes: MAX_LIST_BYTES });
      if (res.status !== 200 || res.truncated) throw new Error(`status ${res.status}`);
      const redactor = new Redactor(s.apiKey);
      // a model list that echoes the key (a custom server can say anything) loses those entries
      entry.models = parseModelList(s, JSON.parse(res.bodyText)).filter((m) => redactor.redactString(m.id + m.owned_by) === m.id + m.owned_by);
      entry.expires = Date.now() + this.ttlMs;
    } catch {
      // unreachable, refused, or not a list: keep the last good list, if any, and ask again later
      entry.expires = Date.now() + this.retryMs;
    }
  }
}

/** Lists are per route, base URL and key (a new key may see other models); the key only as a hash. */
function cacheKey(s: ModelSource): string {
  const keyHash = s.apiKey ? createHash("sha256").update(s.apiKey).digest("hex").slice(0, 32) : "-";
  return `${s.route}\n${s.providerType}\n${s.baseUrl}\n${s.pinned?.address ?? ""}\n${keyHash}`;
}
