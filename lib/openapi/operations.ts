import { z } from "zod";
import type { ErrorCode } from "@/lib/errors";
import type { GatewayErrorCode } from "@/lib/gateway/errors";
import { auditExportQuerySchema, auditQuerySchema } from "@/lib/audit/schemas";
import { createHubKeySchema, patchHubKeySchema } from "@/lib/hub-keys/schemas";
import { healthQuerySchema } from "@/lib/key-health/history";
import { overviewQuerySchema } from "@/lib/key-health/overview";
import { notificationsQuerySchema } from "@/lib/notifications/service";
import { patchKeySchema, saveKeySchema, testKeySchema } from "@/lib/provider-keys/schemas";
import { loginSchema } from "@/lib/schemas/login";
import { MAX_HOURLY_RANGE_DAYS, MAX_RANGE_DAYS } from "@/lib/usage/report-query";
import { ingestRecordSchema, MAX_INGEST_RECORDS } from "@/lib/usage/ingest-schema";
import { setPriceSchema } from "@/lib/usage/prices";
import { createWebhookSchema, deliveriesQuerySchema, patchWebhookSchema } from "@/lib/webhooks/schemas";
import { USER_OPERATIONS } from "./operations-users";
import * as S from "./schemas";

/**
 * Every endpoint of the API, as the OpenAPI document describes it (lib/openapi/document.ts). Request
 * bodies and queries are the zod schemas the routes validate with; a route file under app/api whose
 * methods are not all here fails lib/openapi/document.test.ts.
 */
export type Access = "public" | "user" | "admin" | "hub_key";
export type Method = "get" | "post" | "put" | "patch" | "delete" | "head";

export interface Answer {
  description: string;
  /** A JSON body; absent for a body the API does not shape (CSV, a provider's own answer). */
  schema?: z.ZodType;
  /** Another content type than JSON, e.g. text/csv or text/event-stream. */
  contentType?: string;
  example?: unknown;
}

export interface Operation {
  method: Method;
  path: string;
  tag: string;
  summary: string;
  description?: string;
  access: Access;
  /** Path parameters, by name (each path `{name}` must have one). */
  pathParams?: Record<string, string>;
  /** A zod object whose fields are the query parameters. */
  query?: z.ZodObject;
  body?: { schema: z.ZodType; example?: unknown };
  answers: Record<number, Answer>;
  /** The errors this operation answers with beyond those its access brings (see document.ts). */
  errors?: ErrorCode[];
  gatewayErrors?: GatewayErrorCode[];
  /** Served to a user whose one-time password is not replaced yet (the others answer 403 password_change_required). */
  beforePasswordChange?: true;
  /** Spends the key-test budget (its X-RateLimit-* headers come back). */
  rateLimited?: boolean;
}

const providerId = { id: "The provider row's id (UUID)" };
const webhookId = { id: "The webhook's id (UUID)" };
const hubKeyId = { id: "The hub key's id (UUID)" };
const pricePath = {
  route: "The provider route (`openai`, `groq`, a custom endpoint's slug)",
  model: "The provider's own model id; may contain `/` (`/prices/groq/openai/gpt-oss-20b`)",
};

const usageRange = {
  from: z.string().optional().meta({ description: "ISO 8601 date or date-time (no offset means UTC); default 30 days before `to`", example: "2026-11-01" }),
  to: z.string().optional().meta({ description: `ISO 8601 date or date-time; default now. A range spans at most ${MAX_RANGE_DAYS} days` }),
};
const summaryQuery = z.object({
  ...usageRange,
  group_by: z.enum(["provider", "model", "hub_key", "provider_key"]).default("provider"),
  provider_key: z.uuid().optional().meta({ description: "Only this provider key's usage" }),
});
const seriesQuery = z.object({
  ...usageRange,
  interval: z.enum(["hour", "day"]).default("day").meta({ description: `UTC hours or days; an hourly series spans at most ${MAX_HOURLY_RANGE_DAYS} days` }),
  group_by: z.enum(["provider", "model", "hub_key", "provider_key"]).optional().meta({ description: "Without it, a single series of totals" }),
});

/** What a request the gateway forwards to a provider can be refused with, by the hub itself. */
const FORWARDING_ERRORS: GatewayErrorCode[] = ["invalid_request", "invalid_hub_key", "missing_scope", "model_not_allowed", "provider_disabled", "unknown_model", "provider_not_configured", "body_too_large", "rate_limited", "budget_exceeded", "upstream_unreachable", "unavailable", "upstream_timeout"];

const jsonOnly: ErrorCode[] = ["invalid_request", "incomplete_body", "payload_too_large", "unsupported_media_type"];

export const OPERATIONS: Operation[] = [
  // --- sign-in
  {
    method: "post",
    path: "/api/v1/auth/login",
    tag: "Sign-in",
    summary: "Sign in",
    description: "Sets the `session_token` cookie (12 hours) and `known_device`. A wrong email, a wrong password and a disabled account get the same 401.",
    access: "public",
    body: { schema: loginSchema, example: { email: "admin@example.com", password: "a long passphrase" } },
    answers: { 200: { description: "Signed in; the cookies are set", schema: S.SignedIn } },
    errors: [...jsonOnly, "invalid_credentials", "csrf", "rate_limited", "sign_in_busy"],
  },
  {
    method: "post",
    path: "/api/v1/auth/logout",
    tag: "Sign-in",
    summary: "Sign out",
    description: "Ends the session named by the cookie and clears it. Without a session, or twice, is not an error.",
    access: "public",
    answers: { 200: { description: "Signed out", schema: S.Message, example: { success: true, message: "Signed out" } } },
    errors: ["csrf"],
  },
  { method: "get", path: "/api/v1/auth/me", tag: "Sign-in", summary: "The signed-in user", access: "user", beforePasswordChange: true, answers: { 200: { description: "The user", schema: S.SignedIn } } },

  // --- provider keys
  { method: "get", path: "/api/v1/llm/providers/info", tag: "Provider keys", summary: "The provider catalogue", access: "admin", answers: { 200: { description: "The nine provider types", schema: S.Catalogue } } },
  {
    method: "get",
    path: "/api/v1/llm/providers/keys",
    tag: "Provider keys",
    summary: "List every provider, masked",
    description: "Rows with a key first (stored or environment), then by `priority` descending, then by name. Listing never decrypts anything.",
    access: "admin",
    answers: { 200: { description: "Every row", schema: S.ProviderKeyList } },
  },
  {
    method: "post",
    path: "/api/v1/llm/providers/keys",
    tag: "Provider keys",
    summary: "Add or replace a key",
    description: "Tests the key against its provider (no tokens spent), encrypts and stores it with the test's result. A failing key is stored unless `require_valid` is true. `null` for an optional field is absent; unknown fields are ignored and named in `warnings`.",
    access: "admin",
    rateLimited: true,
    body: { schema: saveKeySchema, example: { provider_type: "openai", api_key: "sk-proj-…", require_valid: true } },
    answers: {
      200: { description: "Replaced the row's key (also when the key failed its test, unless `require_valid`)", schema: S.SavedKey },
      201: { description: "Stored a key where there was none, or added a custom endpoint", schema: S.SavedKey },
    },
    errors: [...jsonOnly, "bad_base_url", "key_test_failed", "rate_limited"],
  },
  {
    method: "post",
    path: "/api/v1/llm/providers/keys/test",
    tag: "Provider keys",
    summary: "Test a key",
    description: "A supplied key, or the stored key of the row (falling back to the environment key). 200 whenever the test ran, whether the key passed or failed.",
    access: "admin",
    rateLimited: true,
    body: { schema: testKeySchema, example: { provider_type: "openrouter", api_key: null } },
    answers: { 200: { description: "The test ran; `success` says whether the key works", schema: S.TestAnswer } },
    errors: [...jsonOnly, "not_configured", "not_found", "rate_limited", "decryption_failed"],
  },
  {
    method: "patch",
    path: "/api/v1/llm/providers/keys/{id}",
    tag: "Provider keys",
    summary: "Change a row without its key",
    description: "Only the fields sent change; the stored key is kept. A custom endpoint moved to another origin must send its key again as `api_key`.",
    access: "admin",
    pathParams: providerId,
    body: { schema: patchKeySchema, example: { enabled: false } },
    answers: { 200: { description: "The row as it is now", schema: S.PatchedKey } },
    errors: [...jsonOnly, "not_found", "bad_base_url", "key_required_for_new_base_url", "conflict"],
  },
  {
    method: "delete",
    path: "/api/v1/llm/providers/keys/{id}",
    tag: "Provider keys",
    summary: "Remove a stored key",
    description: "A built-in row loses its key (and falls back to the environment key); a custom endpoint is removed.",
    access: "admin",
    pathParams: providerId,
    answers: { 200: { description: "Removed", schema: S.DeletedKey } },
    errors: ["not_found"],
  },

  // --- key health
  {
    method: "get",
    path: "/api/v1/llm/providers/keys/{id}/health",
    tag: "Key health",
    summary: "A key's check history",
    access: "admin",
    pathParams: providerId,
    query: healthQuerySchema,
    answers: { 200: { description: "Checks newest first (at most 1,000), uptime and latency percentiles", schema: S.KeyHealth } },
    errors: ["invalid_request", "not_found"],
  },
  {
    method: "get",
    path: "/api/v1/llm/providers/health/overview",
    tag: "Key health",
    summary: "Every key's recent health, in buckets",
    access: "admin",
    query: overviewQuerySchema,
    answers: { 200: { description: "Buckets oldest first, the last one partial", schema: S.HealthOverview } },
    errors: ["invalid_request"],
  },
  {
    method: "post",
    path: "/api/v1/llm/providers/health/check-all",
    tag: "Key health",
    summary: "Check every key now",
    description: "Makes every enabled row with a key due for the background checker, which checks them on its next tick.",
    access: "admin",
    answers: { 202: { description: "Scheduled", schema: S.CheckAll } },
    errors: ["checks_disabled"],
  },

  // --- audit log
  {
    method: "get",
    path: "/api/v1/audit",
    tag: "Audit log",
    summary: "The audit log, newest first",
    description:
      "Every audited operation, denied ones (401, 403 and CSRF, 429) included, one page at a time: pass `next_before` back as `before` for the next, older page (records written meanwhile never shift a page). Reading is itself audited (`audit.read`, with the filters).",
    access: "admin",
    query: auditQuerySchema,
    answers: { 200: { description: "A page of records and the next page's cursor", schema: S.AuditPage } },
    errors: ["invalid_request"],
  },
  {
    method: "get",
    path: "/api/v1/audit/export.csv",
    tag: "Audit log",
    summary: "The filtered audit log as CSV",
    description: "Every record the filters match, newest first, streamed from a database cursor; `detail` is a JSON cell, and a text cell starting with `=`, `+`, `-` or `@` gets a leading `'`. Audited as `audit.export`.",
    access: "admin",
    query: auditExportQuerySchema,
    answers: { 200: { description: "`id,at,action,outcome,status_code,actor_id,actor_email,target,provider_type,key_fingerprint,ip,user_agent,detail`, one line per record", contentType: "text/csv" } },
    errors: ["invalid_request"],
  },

  // --- notifications
  {
    method: "get",
    path: "/api/v1/notifications",
    tag: "Notifications",
    summary: "The alerts, newest first",
    access: "admin",
    query: notificationsQuerySchema,
    answers: { 200: { description: "A page of alerts, the caller's unread count and the next page's cursor", schema: S.NotificationPage } },
    errors: ["invalid_request"],
  },
  {
    method: "post",
    path: "/api/v1/notifications/{id}/read",
    tag: "Notifications",
    summary: "Mark one read",
    access: "admin",
    pathParams: { id: "The notification's id (a number)" },
    answers: { 200: { description: "The caller's new unread count", schema: S.UnreadCount } },
    errors: ["not_found"],
  },
  { method: "post", path: "/api/v1/notifications/read-all", tag: "Notifications", summary: "Mark all read", access: "admin", answers: { 200: { description: "How many were marked now", schema: S.MarkedRead } } },

  // --- webhooks
  { method: "get", path: "/api/v1/webhooks", tag: "Webhooks", summary: "List the webhooks", access: "admin", answers: { 200: { description: "Every webhook, with its last delivery", schema: S.WebhookList } } },
  {
    method: "post",
    path: "/api/v1/webhooks",
    tag: "Webhooks",
    summary: "Add a webhook",
    description: "Its signing secret is in this answer only. The URL must pass the URL policy.",
    access: "admin",
    body: { schema: createWebhookSchema, example: { name: "ops", url: "https://hooks.example.com/llmhub", kind: "generic" } },
    answers: { 201: { description: "Added", schema: S.WebhookWithSecret } },
    errors: [...jsonOnly, "bad_webhook_url"],
  },
  {
    method: "patch",
    path: "/api/v1/webhooks/{id}",
    tag: "Webhooks",
    summary: "Change a webhook",
    access: "admin",
    pathParams: webhookId,
    body: { schema: patchWebhookSchema, example: { enabled: false } },
    answers: { 200: { description: "The webhook as it is now", schema: S.WebhookAnswer } },
    errors: [...jsonOnly, "not_found", "bad_webhook_url", "webhook_undecryptable"],
  },
  { method: "delete", path: "/api/v1/webhooks/{id}", tag: "Webhooks", summary: "Remove a webhook", access: "admin", pathParams: webhookId, answers: { 200: { description: "Removed", schema: S.Message } }, errors: ["not_found"] },
  {
    method: "post",
    path: "/api/v1/webhooks/{id}/test",
    tag: "Webhooks",
    summary: "Send a test notification",
    access: "admin",
    pathParams: webhookId,
    answers: { 200: { description: "The delivery after its first attempt", schema: S.TestedWebhook } },
    errors: ["not_found", "webhook_disabled"],
  },
  {
    method: "post",
    path: "/api/v1/webhooks/{id}/rotate-secret",
    tag: "Webhooks",
    summary: "A new signing secret",
    description: "The new secret is in this answer only; the old one stops signing at once.",
    access: "admin",
    pathParams: webhookId,
    answers: { 200: { description: "Rotated", schema: S.WebhookWithSecret } },
    errors: ["not_found", "webhook_undecryptable"],
  },
  {
    method: "get",
    path: "/api/v1/webhooks/{id}/deliveries",
    tag: "Webhooks",
    summary: "Recent deliveries",
    access: "admin",
    pathParams: webhookId,
    query: deliveriesQuerySchema,
    answers: { 200: { description: "Newest first, with every attempt", schema: S.DeliveryList } },
    errors: ["invalid_request", "not_found"],
  },

  ...USER_OPERATIONS,

  // --- hub keys
  { method: "get", path: "/api/v1/llm/hub-keys", tag: "Hub keys", summary: "List the hub keys", access: "admin", answers: { 200: { description: "Every key not deleted, newest first", schema: S.HubKeyList } } },
  {
    method: "post",
    path: "/api/v1/llm/hub-keys",
    tag: "Hub keys",
    summary: "Issue a hub key",
    description: "The key is in this answer only; only its SHA-256 is stored. Strict body: unknown fields are refused.",
    access: "admin",
    body: { schema: createHubKeySchema, example: { name: "billing-app", owner: "team billing", allowed: ["openai/*", "groq/llama-*"], rpm_limit: 120 } },
    answers: { 201: { description: "Issued", schema: S.HubKeyWithKey } },
    errors: jsonOnly,
  },
  { method: "get", path: "/api/v1/llm/hub-keys/{id}", tag: "Hub keys", summary: "One hub key", access: "admin", pathParams: hubKeyId, answers: { 200: { description: "The key, masked, with this month's usage", schema: S.HubKeyMonthAnswer } }, errors: ["not_found"] },
  {
    method: "patch",
    path: "/api/v1/llm/hub-keys/{id}",
    tag: "Hub keys",
    summary: "Change a hub key",
    description: "`null` clears `owner`, `rpm_limit`, `monthly_budget_usd` or `expires_at`. A disabled or expired key is refused by the gateway on every instance before this answer is sent.",
    access: "admin",
    pathParams: hubKeyId,
    body: { schema: patchHubKeySchema, example: { enabled: false } },
    answers: { 200: { description: "The key as it is now", schema: S.HubKeyAnswer } },
    errors: [...jsonOnly, "not_found"],
  },
  { method: "delete", path: "/api/v1/llm/hub-keys/{id}", tag: "Hub keys", summary: "Revoke a hub key", access: "admin", pathParams: hubKeyId, answers: { 200: { description: "Revoked on every instance", schema: S.HubKeyDeleted } }, errors: ["not_found"] },
  {
    method: "post",
    path: "/api/v1/llm/hub-keys/{id}/rotate",
    tag: "Hub keys",
    summary: "A new key with the same settings",
    description: "The new key is in this answer only; the previous one stops working at once.",
    access: "admin",
    pathParams: hubKeyId,
    answers: { 200: { description: "Rotated", schema: S.HubKeyWithKey } },
    errors: ["not_found"],
  },

  // --- usage
  {
    method: "get",
    path: "/api/v1/llm/usage/summary",
    tag: "Usage",
    summary: "Totals per group",
    description: "From the hourly and daily rollups; groups sorted by requests, most first.",
    access: "admin",
    query: summaryQuery,
    answers: { 200: { description: "Groups and totals", schema: S.UsageSummary } },
    errors: ["invalid_request"],
  },
  {
    method: "get",
    path: "/api/v1/llm/usage/timeseries",
    tag: "Usage",
    summary: "Totals per hour or day",
    description: "Periods without requests are left out.",
    access: "admin",
    query: seriesQuery,
    answers: { 200: { description: "One series per group, or one of totals", schema: S.UsageSeries } },
    errors: ["invalid_request"],
  },
  {
    method: "get",
    path: "/api/v1/llm/usage/dashboard",
    tag: "Usage",
    summary: "The Usage tab's view in one request",
    description: "Totals against the previous range of the same length, the ranking, the chart's buckets and series, and errors and latency per provider.",
    access: "admin",
    query: summaryQuery,
    answers: { 200: { description: "The view", schema: S.UsageDashboard } },
    errors: ["invalid_request"],
  },
  {
    method: "get",
    path: "/api/v1/llm/usage/export.csv",
    tag: "Usage",
    summary: "The summary as CSV",
    description: "Streamed; a text cell starting with `=`, `+`, `-` or `@` gets a leading `'`.",
    access: "admin",
    query: summaryQuery,
    answers: { 200: { description: "`from,to,<group keys>,requests,errors,…` one line per group", contentType: "text/csv" } },
    errors: ["invalid_request"],
  },
  { method: "get", path: "/api/v1/llm/usage/prices", tag: "Usage", summary: "The price table", access: "admin", answers: { 200: { description: "USD per million tokens, with each price's source", schema: S.PriceList } } },
  {
    method: "put",
    path: "/api/v1/llm/usage/prices/{route}/{model}",
    tag: "Usage",
    summary: "Set a price",
    description: "Applies to requests recorded from then on; never overwritten by the seed file.",
    access: "admin",
    pathParams: pricePath,
    body: { schema: setPriceSchema, example: { input_per_mtok_usd: 0.4, output_per_mtok_usd: 1.6, kind: "chat", source: "https://openai.com/api/pricing", source_date: "2026-12-01" } },
    answers: { 200: { description: "A price was replaced", schema: S.PriceAnswer }, 201: { description: "The model had no price", schema: S.PriceAnswer } },
    errors: [...jsonOnly, "not_found"],
  },
  {
    method: "delete",
    path: "/api/v1/llm/usage/prices/{route}/{model}",
    tag: "Usage",
    summary: "Delete a price",
    description: "The model is recorded as `unpriced` from then on.",
    access: "admin",
    pathParams: pricePath,
    answers: { 200: { description: "Deleted", schema: S.Message } },
    errors: ["not_found"],
  },

  // --- usage from elsewhere (hub key with the ingest scope; `{detail, code}` errors)
  {
    method: "post",
    path: "/api/v1/llm/usage/events",
    tag: "Usage",
    summary: "Ingest usage that did not pass through the hub",
    description:
      "For an existing LiteLLM or a batch job: a JSON array of 1 to 1,000 records in the gateway's record shape, sent with a hub key that has the `ingest` scope. All or nothing: one invalid record and nothing is stored (400 `invalid_records`, with each problem as `{index, field, message}`). Idempotent: a record whose `request_id` and `started_at` are already stored counts as a duplicate. Records are stored with `source: ingest` and counted in every report like the gateway's own; a record's hub key is the ingesting key unless it names another (or `null`). Each call counts against the key's `rpm_limit`, with its gateway calls (429 `rate_limited`, with Retry-After).",
    access: "hub_key",
    body: {
      schema: z.array(ingestRecordSchema).min(1).max(MAX_INGEST_RECORDS),
      example: [
        { request_id: "litellm-7f3a2c", started_at: "2026-12-01T12:00:00Z", provider_type: "openai", model_requested: "gpt-4.1-mini", status_code: 200, latency_ms: 812, input_tokens: 1200, output_tokens: 350, cost_usd: 0.00104 },
      ],
    },
    answers: { 200: { description: "What was stored", schema: S.IngestResult, example: { success: true, received: 1, inserted: 1, duplicates: 0 } } },
    errors: [...jsonOnly, "invalid_records", "invalid_hub_key", "missing_scope", "rate_limited", "internal_error", "unavailable"],
  },

  // --- the gateway (hub key, OpenAI error shape)
  {
    method: "get",
    path: "/api/v1/llm/gateway/v1/models",
    tag: "Gateway",
    summary: "The models this hub key may use",
    description: "OpenAI's `GET /v1/models` shape; ids are `<route>/<model>`.",
    access: "hub_key",
    answers: { 200: { description: "The models", schema: S.ModelList } },
    gatewayErrors: ["invalid_hub_key", "missing_scope", "rate_limited", "unavailable"],
  },
  {
    method: "post",
    path: "/api/v1/llm/gateway/v1/chat/completions",
    tag: "Gateway",
    summary: "A chat completion through the hub (OpenAI-compatible)",
    description:
      "The body is forwarded as is, with `model` routed to its provider and the stored provider key injected. With `stream: true` the answer is the provider's server-sent events, passed through as they arrive. The usage of every request is recorded.",
    access: "hub_key",
    body: { schema: S.ChatCompletionRequest, example: { model: "openai/gpt-4.1-mini", messages: [{ role: "user", content: "Hello" }] } },
    answers: {
      200: { description: "The provider's answer (a `chat.completion`, or with `stream: true` a `text/event-stream` of `chat.completion.chunk`s)", schema: S.ProviderAnswer },
    },
    gatewayErrors: FORWARDING_ERRORS,
  },
  {
    method: "post",
    path: "/api/v1/llm/gateway/v1/embeddings",
    tag: "Gateway",
    summary: "Embeddings through the hub (OpenAI-compatible)",
    access: "hub_key",
    body: { schema: S.EmbeddingsRequest, example: { model: "openai/text-embedding-3-small", input: "Hello" } },
    answers: { 200: { description: "The provider's answer (an embeddings `list`)", schema: S.ProviderAnswer } },
    gatewayErrors: FORWARDING_ERRORS,
  },
  {
    method: "get",
    path: "/api/v1/llm/gateway/v1/usage",
    tag: "Gateway",
    summary: "This hub key's own month",
    description: "Usage this UTC month and the budget, for the key's holder. Free: not recorded, not refused over budget.",
    access: "hub_key",
    answers: { 200: { description: "The key's month", schema: S.OwnUsage } },
    gatewayErrors: ["invalid_hub_key", "unavailable"],
  },
  ...(["get", "post", "put", "patch", "delete", "head"] as const).map(
    (method): Operation => ({
      method,
      path: "/api/v1/llm/gateway/native/{route}/{path}",
      tag: "Gateway",
      summary: `A provider's native API (${method.toUpperCase()})`,
      description:
        "For a provider's own SDK (Anthropic Messages, Gemini `generateContent`, …): the request goes to `{provider base URL}/{path}` with the hub key replaced by the stored provider key. The answer is the provider's own.",
      access: "hub_key",
      pathParams: { route: "The provider route (`anthropic`, `google`, …)", path: "The provider's own path, e.g. `v1/messages`; may contain `/`" },
      answers: { 200: { description: "The provider's answer, passed through", schema: method === "head" ? undefined : S.ProviderAnswer } },
      gatewayErrors: FORWARDING_ERRORS,
    }),
  ),

  // --- this document, liveness, readiness
  {
    method: "get",
    path: "/api/v1/openapi.json",
    tag: "Meta",
    summary: "This document",
    description: "Any signed-in user; anyone when `API_DOCS_PUBLIC=true`.",
    access: "public",
    answers: { 200: { description: "OpenAPI 3.1", schema: z.object({ openapi: z.string() }).loose() } },
    errors: ["not_authenticated"],
  },
  { method: "get", path: "/api/health", tag: "Meta", summary: "Liveness", access: "public", answers: { 200: { description: "The process answers", schema: S.Liveness } } },
  {
    method: "get",
    path: "/api/health/ready",
    tag: "Meta",
    summary: "Readiness",
    description: "The database answers, and Redis when `REDIS_URL` is set. A 503 has the same shape.",
    access: "public",
    answers: { 200: { description: "Ready", schema: S.Readiness }, 503: { description: "Not ready: the failing dependency is named", schema: S.Readiness } },
  },
];
