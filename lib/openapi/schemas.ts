import { z } from "zod";
import { alerts, auditEvents, webhookDeliveries, webhooks } from "@/lib/db/schema";
import { GATEWAY_ERROR_CODES } from "@/lib/gateway/errors";
import { STATUS_OF_CODE } from "@/lib/errors";
import { HUB_KEY_SCOPES } from "@/lib/hub-keys/scopes";
import { PROVIDER_TYPES } from "@/lib/providers/catalogue";

/**
 * The shapes of the API's answers, for the OpenAPI document (lib/openapi/document.ts). Requests are
 * described by the zod schemas that validate them; answers by these, which the integration suite
 * holds every documented answer it receives against (test/integration/32-openapi.test.ts), so a
 * field added to a serialiser without being written here fails a test. Each `id` becomes a
 * component under #/components/schemas.
 */
export const ts = z.iso.datetime({ offset: true }).meta({ description: "ISO 8601 timestamp (UTC)", example: "2026-12-01T06:12:41.943Z" });
const uuid = z.uuid();
const nullable = <T extends z.ZodType>(s: T) => s.nullable();

export const ErrorBody = z
  .object({
    detail: z.string().meta({ description: "A sentence for people; a request field's problem starts with the field's path" }),
    code: z.enum(Object.keys(STATUS_OF_CODE) as [keyof typeof STATUS_OF_CODE, ...(keyof typeof STATUS_OF_CODE)[]]),
    errors: z
      .array(z.object({ index: z.number().int(), field: nullable(z.string()), message: z.string() }))
      .optional()
      .meta({ description: "`invalid_records` only: each invalid record's position in the batch, the field, and what is wrong" }),
  })
  .meta({ id: "Error", example: { detail: "api_key: must be at least 10 characters", code: "invalid_request" } });

export const GatewayErrorBody = z
  .object({
    error: z.object({
      message: z.string(),
      type: z.string().meta({ description: "The OpenAI error type (`invalid_request_error`, `authentication_error`, …)" }),
      code: z.string().meta({ description: `The hub's code (${GATEWAY_ERROR_CODES.join(", ")}), or the provider's own for an upstream error passed through` }),
    }),
  })
  .meta({ id: "GatewayError", example: { error: { message: "Invalid hub key", type: "authentication_error", code: "invalid_hub_key" } } });

const providerType = z.enum(PROVIDER_TYPES);
const health = z.enum(["healthy", "degraded", "unhealthy", "unknown"]);

export const User = z.object({ id: uuid, email: z.string(), role: z.enum(["admin", "viewer"]) }).meta({ id: "User" });
export const SignedIn = z.object({ success: z.literal(true), user: User }).meta({ id: "SignedIn" });
export const Message = z.object({ success: z.literal(true), message: z.string() }).meta({ id: "Message" });

export const Liveness = z.object({ status: z.literal("ok") }).meta({ id: "Liveness" });
const dependency = z.object({ ok: z.boolean(), backend: z.string(), error: z.string().optional() });
export const Readiness = z.object({ ready: z.boolean(), database: dependency, redis: dependency }).meta({ id: "Readiness" });

export const CatalogueEntry = z
  .object({
    provider_type: providerType,
    display_name: z.string(),
    description: z.string(),
    key_format: z.string(),
    supports_test: z.boolean(),
    auth_type: z.enum(["bearer", "x-api-key", "x-goog-api-key"]),
    docs_url: nullable(z.string()),
    env_var: nullable(z.string()),
    default_base_url: nullable(z.string()),
  })
  .meta({ id: "CatalogueEntry" });
export const Catalogue = z.object({ success: z.literal(true), total: z.number().int(), providers: z.array(CatalogueEntry) }).meta({ id: "Catalogue" });

export const Credits = z
  .object({
    usage: nullable(z.number()),
    limit: nullable(z.number()).meta({ description: "The key's cap in USD; null when it has none" }),
    limit_remaining: nullable(z.number()),
    limit_reset: nullable(z.string()).meta({ description: "How often the cap resets (daily, weekly, monthly), or null" }),
  })
  .meta({ id: "Credits", description: "OpenRouter only: the key's credit as GET /api/v1/key reported it" });

const lastTest = z.object({
  latency_ms: nullable(z.number()),
  models_found: nullable(z.number().int()),
  error: nullable(z.string()),
  error_code: nullable(z.string()),
  status_code: nullable(z.number().int()),
  credits: nullable(Credits),
});

export const ProviderKey = z
  .object({
    id: uuid,
    name: z.string(),
    provider_type: providerType,
    has_key: z.boolean(),
    key_source: z.enum(["database", "environment", "not_set"]),
    enabled: z.boolean(),
    health_status: health,
    last_tested: nullable(ts),
    test_status: nullable(z.enum(["success", "failed"])),
    key_preview: nullable(z.string()).meta({ description: "First 7 and last 4 characters; never the key" }),
    config: z.object({ base_url: z.string().optional() }),
    priority: z.number().int(),
    created_at: ts,
    updated_at: ts,
    updated_by: nullable(z.string()),
    last_test: nullable(lastTest),
  })
  .meta({ id: "ProviderKey" });
export const ProviderKeyList = z.object({ success: z.literal(true), total: z.number().int(), providers: z.array(ProviderKey) }).meta({ id: "ProviderKeyList" });

export const TestResult = z
  .object({
    success: z.boolean().meta({ description: "The provider accepted the key" }),
    latency_ms: nullable(z.number()),
    models_found: nullable(z.number().int()),
    error: nullable(z.string()),
    error_code: nullable(z.enum(["invalid_key", "forbidden", "no_credits", "rate_limited", "provider_error", "timeout", "unreachable", "bad_base_url", "not_configured"])),
    status_code: nullable(z.number().int()),
    retry_after_s: nullable(z.number()),
    credits: nullable(Credits).optional(),
    tested_at: ts,
  })
  .meta({ id: "TestResult" });
export const TestAnswer = TestResult.extend({ warnings: z.array(z.string()) }).meta({ id: "TestAnswer" });

export const SavedKey = z
  .object({
    success: z.literal(true),
    provider_id: uuid,
    name: z.string(),
    provider_type: providerType,
    has_key: z.literal(true),
    enabled: z.boolean(),
    key_preview: nullable(z.string()),
    test_result: TestResult,
    warnings: z.array(z.string()),
    message: z.string(),
  })
  .meta({ id: "SavedKey" });
export const PatchedKey = ProviderKey.extend({ success: z.literal(true) }).meta({ id: "PatchedKey" });
export const DeletedKey = z.object({ success: z.literal(true), provider_id: uuid, message: z.string() }).meta({ id: "DeletedKey" });

const check = z.object({
  checked_at: ts,
  trigger: z.enum(["scheduled", "manual", "save"]),
  outcome: z.enum(["healthy", "degraded", "unhealthy"]),
  error_code: nullable(z.string()),
  status_code: nullable(z.number().int()),
  latency_ms: nullable(z.number()),
  models_found: nullable(z.number().int()),
  credits: nullable(Credits),
});
const percentiles = z.object({ p50: nullable(z.number()), p95: nullable(z.number()), p99: nullable(z.number()) });
export const KeyHealth = z
  .object({
    success: z.literal(true),
    provider_id: uuid,
    name: z.string(),
    health_status: health,
    since: ts,
    until: ts,
    retention_days: z.number().int(),
    summary: z.object({
      checks: z.number().int(),
      healthy: z.number().int(),
      degraded: z.number().int(),
      unhealthy: z.number().int(),
      uptime_pct: nullable(z.number()),
      latency_ms: percentiles,
    }),
    truncated: z.boolean(),
    checks: z.array(check),
  })
  .meta({ id: "KeyHealth" });

const bucket = z.object({ healthy: z.number().int(), degraded: z.number().int(), unhealthy: z.number().int() });
export const HealthOverview = z
  .object({
    success: z.literal(true),
    window: z.enum(["24h", "7d"]),
    since: ts,
    until: ts,
    bucket_seconds: z.number().int(),
    retention_days: z.number().int(),
    keys: z.array(
      z.object({
        provider_id: uuid,
        checks: z.number().int(),
        uptime_pct: nullable(z.number()),
        buckets: z.array(bucket),
        last_failure: nullable(z.object({ checked_at: ts, outcome: z.enum(["degraded", "unhealthy"]), error_code: nullable(z.string()), status_code: nullable(z.number().int()) })),
      }),
    ),
  })
  .meta({ id: "HealthOverview" });
export const CheckAll = z.object({ success: z.literal(true), scheduled: z.number().int(), message: z.string() }).meta({ id: "CheckAll" });

export const Notification = z
  .object({
    id: z.number().int(),
    created_at: ts,
    kind: z.enum(alerts.kind.enumValues),
    message: z.string(),
    provider_id: nullable(uuid),
    provider_type: z.string(),
    provider_name: z.string(),
    health_status: z.string(),
    error_code: nullable(z.string()),
    trigger: z.string(),
    read: z.boolean(),
  })
  .meta({ id: "Notification" });
export const NotificationPage = z
  .object({ notifications: z.array(Notification), unread_count: z.number().int(), next_before: nullable(z.number().int()) })
  .meta({ id: "NotificationPage" });
export const UnreadCount = z.object({ success: z.literal(true), unread_count: z.number().int() }).meta({ id: "UnreadCount" });
export const MarkedRead = z.object({ success: z.literal(true), marked: z.number().int(), unread_count: z.number().int() }).meta({ id: "MarkedRead" });

export const Webhook = z
  .object({
    id: uuid,
    name: z.string(),
    kind: z.enum(webhooks.kind.enumValues),
    url_preview: z.string().meta({ description: "Scheme, host and the path's start; never a token in the URL" }),
    secret_preview: z.string(),
    enabled: z.boolean(),
    created_at: ts,
    updated_at: ts,
    updated_by: nullable(z.string()),
    last_delivery: nullable(z.object({ at: ts, status: nullable(z.string()), error: nullable(z.string()) })),
    pending_deliveries: z.number().int(),
    failed_deliveries: z.number().int(),
  })
  .meta({ id: "Webhook" });
export const WebhookList = z.object({ webhooks: z.array(Webhook) }).meta({ id: "WebhookList" });
export const WebhookWithSecret = z
  .object({ success: z.literal(true), webhook: Webhook, secret: z.string().meta({ description: "The signing secret, shown only in this answer" }), message: z.string() })
  .meta({ id: "WebhookWithSecret" });
export const WebhookAnswer = z.object({ success: z.literal(true), webhook: Webhook }).meta({ id: "WebhookAnswer" });
export const Delivery = z
  .object({
    id: uuid,
    event: z.string(),
    alert_id: nullable(z.number().int()),
    status: z.enum(webhookDeliveries.status.enumValues),
    attempts: z.number().int(),
    next_attempt_at: nullable(ts),
    last_status_code: nullable(z.number().int()),
    last_error: nullable(z.string()),
    created_at: ts,
    delivered_at: nullable(ts),
    attempt_log: z.array(z.object({ attempt: z.number().int(), at: ts, success: z.boolean(), status_code: nullable(z.number().int()), error: nullable(z.string()), latency_ms: nullable(z.number()) })),
  })
  .meta({ id: "Delivery" });
export const TestedWebhook = z.object({ success: z.literal(true), delivery: nullable(Delivery) }).meta({ id: "TestedWebhook" });
export const DeliveryList = z.object({ webhook: Webhook, deliveries: z.array(Delivery) }).meta({ id: "DeliveryList" });

const hubKeyScopes = z.array(z.enum(HUB_KEY_SCOPES)).meta({ description: "`gateway`: call LLMs through the hub; `ingest`: post usage records (POST /api/v1/llm/usage/events)" });

export const HubKey = z
  .object({
    id: uuid,
    name: z.string(),
    owner: nullable(z.string()),
    key_preview: z.string().meta({ description: "`llmhub_`, the first 3 and the last 4 random characters; never the key" }),
    scopes: hubKeyScopes,
    allowed: z.array(z.string()),
    rpm_limit: nullable(z.number().int()),
    monthly_budget_usd: nullable(z.number()),
    expires_at: nullable(ts),
    enabled: z.boolean(),
    status: z.enum(["active", "disabled", "expired"]),
    created_at: ts,
    created_by: z.string(),
    updated_at: ts,
    updated_by: z.string(),
    last_used_at: nullable(ts),
  })
  .meta({ id: "HubKey" });
export const HubKeyWithMonth = HubKey.extend({
  this_month: z
    .object({ month: z.string().meta({ example: "2026-12" }), requests: z.number().int(), input_tokens: z.number().int(), output_tokens: z.number().int(), cost_usd: z.number() })
    .meta({ description: "What the key used this UTC month: the running total its budget check reads" }),
}).meta({ id: "HubKeyWithMonth" });
export const HubKeyList = z.object({ success: z.literal(true), total: z.number().int(), hub_keys: z.array(HubKeyWithMonth) }).meta({ id: "HubKeyList" });
export const HubKeyAnswer = z.object({ success: z.literal(true), hub_key: HubKey }).meta({ id: "HubKeyAnswer" });
export const HubKeyMonthAnswer = z.object({ success: z.literal(true), hub_key: HubKeyWithMonth }).meta({ id: "HubKeyMonthAnswer" });
export const HubKeyWithKey = z
  .object({ success: z.literal(true), hub_key: HubKey, key: z.string().meta({ description: "The hub key, shown only in this answer" }), message: z.string() })
  .meta({ id: "HubKeyWithKey" });
export const HubKeyDeleted = z.object({ success: z.literal(true), id: uuid, message: z.string() }).meta({ id: "HubKeyDeleted" });

const latency = z.object({ avg: nullable(z.number()), p50: nullable(z.number()), p95: nullable(z.number()), max: nullable(z.number()) });
const figures = {
  requests: z.number().int(),
  errors: z.number().int(),
  incomplete: z.number().int(),
  input_tokens: z.number().int(),
  output_tokens: z.number().int(),
  cached_tokens: z.number().int(),
  reasoning_tokens: z.number().int(),
  cost_usd: z.number().meta({ description: "The sum of known costs; unpriced requests are left out, not counted as $0" }),
  unpriced_requests: z.number().int(),
  latency_ms: latency,
};
const groupKeys = {
  route: z.string().optional(),
  provider_type: z.string().optional(),
  model: z.string().optional(),
  hub_key_id: nullable(z.string()).optional(),
  hub_key_name: nullable(z.string()).optional(),
  provider_key_id: nullable(z.string()).optional(),
  provider_name: nullable(z.string()).optional(),
  source: z.enum(["gateway", "ingest"]).optional().meta({ description: "group_by=source: through the gateway, or ingested (POST /api/v1/llm/usage/events)" }),
};
export const UsageFigures = z.object(figures).meta({ id: "UsageFigures" });
export const UsageSummary = z
  .object({ from: ts, to: ts, group_by: z.enum(["provider", "model", "hub_key", "provider_key", "source"]), groups: z.array(z.object({ ...groupKeys, ...figures })), totals: UsageFigures })
  .meta({ id: "UsageSummary" });
export const UsageSeries = z
  .object({
    from: ts,
    to: ts,
    interval: z.enum(["hour", "day"]),
    group_by: nullable(z.enum(["provider", "model", "hub_key", "provider_key", "source"])),
    series: z.array(z.object({ ...groupKeys, points: z.array(z.object({ t: ts, ...figures })) })),
  })
  .meta({ id: "UsageSeries" });

export const UsageDashboard = z
  .object({
    from: ts,
    to: ts,
    group_by: z.enum(["provider", "model", "hub_key", "provider_key", "source"]),
    provider_key: nullable(uuid),
    interval: z.enum(["hour", "day"]),
    totals: z.object({}).loose().nullable().meta({ description: "The range's figures (as in the summary) and `error_rate`" }),
    previous: z.object({ from: ts, to: ts, totals: z.object({}).loose().nullable() }).meta({ description: "The previous range of the same length" }),
    groups: z.array(z.object({}).loose()).meta({ description: "Groups ranked by requests, with their keys and figures" }),
    chart: z.object({ buckets: z.array(z.unknown()), series: z.array(z.unknown()) }).meta({ description: "Per hour (ranges up to 8 days) or UTC day: the top 8 groups and `Other`, no empty period left out" }),
    providers: z.array(z.object({}).loose()).meta({ description: "Error rate and latency percentiles per provider" }),
  })
  .meta({ id: "UsageDashboard" });

export const Price = z
  .object({
    key: z.string(),
    route: z.string(),
    model: z.string(),
    kind: z.enum(["chat", "embedding"]),
    input_per_mtok_usd: z.number(),
    output_per_mtok_usd: z.number(),
    cached_input_per_mtok_usd: nullable(z.number()),
    source: nullable(z.string()),
    source_date: nullable(z.string()),
    origin: z.enum(["seed", "admin"]),
    updated_at: ts,
    updated_by: nullable(z.string()),
  })
  .meta({ id: "Price" });
export const PriceList = z.object({ prices: z.array(Price), count: z.number().int() }).meta({ id: "PriceList" });
export const PriceAnswer = z.object({ success: z.literal(true), price: Price }).meta({ id: "PriceAnswer" });

export const IngestResult = z
  .object({
    success: z.literal(true),
    received: z.number().int(),
    inserted: z.number().int().meta({ description: "Records stored by this request" }),
    duplicates: z.number().int().meta({ description: "Records already stored (same request_id and started_at): nothing changed for them" }),
  })
  .meta({ id: "IngestResult" });

export const OwnUsage = z
  .object({
    object: z.literal("usage"),
    hub_key: z.object({
      id: uuid,
      name: z.string(),
      key_preview: z.string(),
      scopes: hubKeyScopes,
      allowed: z.array(z.string()),
      rpm_limit: nullable(z.number().int()),
      monthly_budget_usd: nullable(z.number()),
      expires_at: nullable(ts),
    }),
    month: z.string().meta({ example: "2026-12" }),
    period: z.object({ from: ts, to: ts }),
    requests: figures.requests,
    errors: figures.errors,
    input_tokens: figures.input_tokens,
    output_tokens: figures.output_tokens,
    cached_tokens: figures.cached_tokens,
    cost_usd: figures.cost_usd,
    unpriced_requests: figures.unpriced_requests,
    latency_ms: figures.latency_ms,
    budget: nullable(z.object({ monthly_usd: z.number(), remaining_usd: z.number(), exceeded: z.boolean(), resets_at: ts })),
  })
  .meta({ id: "OwnUsage" });

export const ModelList = z
  .object({ object: z.literal("list"), data: z.array(z.object({ id: z.string(), object: z.literal("model"), created: z.number().int(), owned_by: z.string() }).loose()) })
  .meta({ id: "ModelList" });

/** OpenAI-compatible bodies the gateway forwards as they are (beyond `model`, which it routes on). */
export const ChatCompletionRequest = z
  .object({
    model: z.string().meta({ description: "`<route>/<provider's model id>`, e.g. `openai/gpt-4.1-mini` or `openrouter/anthropic/claude-sonnet-4`" }),
    messages: z.array(z.object({ role: z.string(), content: z.unknown() }).loose()),
    stream: z.boolean().optional(),
    stream_options: z.object({ include_usage: z.boolean().optional() }).loose().optional(),
  })
  .loose()
  .meta({ id: "ChatCompletionRequest" });
export const EmbeddingsRequest = z
  .object({ model: z.string(), input: z.union([z.string(), z.array(z.string()), z.array(z.number()), z.array(z.array(z.number()))]) })
  .loose()
  .meta({ id: "EmbeddingsRequest" });
export const ProviderAnswer = z.object({}).loose().meta({ id: "ProviderAnswer", description: "The provider's own answer, passed through (OpenAI's shape on the compatible routes)" });

export const AuditEvent = z
  .object({
    id: z.number().int().meta({ description: "Grows with every record: the newest has the highest" }),
    at: ts,
    action: z.string().meta({ example: "provider_key.create" }),
    outcome: z.enum(auditEvents.outcome.enumValues),
    status_code: nullable(z.number().int()),
    actor_id: nullable(uuid),
    actor_email: nullable(z.string()).meta({ description: "Who acted (for a failed sign-in, the address tried); null when no one was signed in" }),
    target: nullable(z.string()),
    provider_type: nullable(z.string()),
    key_fingerprint: nullable(z.string()).meta({ description: "`fp_` and 32 hex digits: names a key without revealing it" }),
    ip: nullable(z.string()).meta({ description: "The client address" }),
    user_agent: nullable(z.string()),
    detail: nullable(z.record(z.string(), z.unknown())).meta({ description: "Non-secret facts about the operation (error codes, names, filters)" }),
  })
  .meta({ id: "AuditEvent" });
export const AuditPage = z
  .object({ success: z.literal(true), events: z.array(AuditEvent), next_before: nullable(z.number().int()).meta({ description: "Pass as `before` for the next page; null at the end" }) })
  .meta({ id: "AuditPage" });
