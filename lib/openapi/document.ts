import { z } from "zod";
import { SESSION_COOKIE } from "@/lib/auth/session";
import { type ErrorCode, STATUS_OF_CODE } from "@/lib/errors";
import { gatewayErrorStatus, type GatewayErrorCode } from "@/lib/gateway/errors";
import { type Operation, OPERATIONS } from "./operations";
// the named schemas register themselves (z.globalRegistry) when this module loads
import "./schemas";

/**
 * The API's OpenAPI 3.1 document (GET /api/v1/openapi.json, the /docs/api page), built once per
 * process from lib/openapi/operations.ts: request bodies and queries from the zod schemas the routes
 * validate with, answers from lib/openapi/schemas.ts.
 */
type Json = Record<string, unknown>;

const MUTATING = new Set(["post", "put", "patch", "delete"]);
const REF = (id: string) => ({ $ref: `#/components/schemas/${id}` });


/** What each error code says in the document. */
const ERROR_TEXT: Record<ErrorCode, string> = {
  invalid_request: "The body, a query parameter or a path segment fails validation; `detail` names the field",
  incomplete_body: "The client stopped sending before the body was complete",
  not_configured: "Nothing to test: no stored key and no environment key",
  bad_base_url: "The URL policy refuses the custom endpoint's base URL; nothing was sent to it",
  key_test_failed: "`require_valid` was true and the key failed its test; nothing was stored",
  key_required_for_new_base_url: "A custom endpoint moved to another origin without its key sent again",
  bad_webhook_url: "The URL policy refuses the webhook URL",
  invalid_records: "Some records of the batch are invalid; `errors` lists each as `{index, field, message}` and nothing was stored",
  invalid_hub_key: "No hub key, or one that is unknown, deleted, disabled or expired",
  missing_scope: "The hub key lacks the scope this endpoint needs (`ingest`)",
  webhook_undecryptable: "The webhook's stored URL or secret cannot be decrypted with the configured encryption keys",
  not_authenticated: "No session cookie, or an invalid, expired or revoked session",
  invalid_credentials: "Wrong email or password, or a disabled account (one answer for all three)",
  forbidden: "Signed in without the admin role",
  password_change_required: "Signed in with a one-time password that is not changed yet (POST /api/v1/users/me/password)",
  last_admin: "The change would leave no enabled admin (demote, disable or delete the last one)",
  csrf: "A mutation whose Origin is not this site's",
  not_found: "An unknown or malformed id",
  method_not_allowed: "A method the endpoint does not serve; `Allow` lists those it does",
  conflict: "A concurrent change, or a name another custom endpoint has",
  webhook_disabled: "A test notification to a disabled webhook",
  checks_disabled: "Background checks are off (HEALTH_CHECK_INTERVAL_SECONDS=0)",
  payload_too_large: "A JSON body over 64 KiB",
  unsupported_media_type: "A body sent without `Content-Type: application/json`",
  rate_limited: "A rate limit refused the request; see `Retry-After`",
  decryption_failed: "The stored key cannot be decrypted with the configured encryption keys",
  internal_error: "Anything unexpected; the cause is in the server log",
  unavailable: "The database (or Redis, where a limit is used) cannot be reached; `Retry-After: 5`",
  sign_in_busy: "Too many sign-ins are waiting for their password check; see `Retry-After`",
};

/** The errors every operation with this access can answer, beyond its own. */
function commonErrors(op: Operation): ErrorCode[] {
  if (op.access === "hub_key") return [];
  const codes: ErrorCode[] = ["internal_error"];
  if (op.path.startsWith("/api/v1/")) codes.push("unavailable");
  if (op.access === "user" || op.access === "admin") codes.push("not_authenticated");
  if ((op.access === "user" || op.access === "admin") && !op.beforePasswordChange) codes.push("password_change_required");
  if (op.access === "admin") codes.push("forbidden");
  if (op.access !== "public" && MUTATING.has(op.method)) codes.push("csrf");
  return codes;
}

const URI = (id: string) => `#/components/schemas/${id}`;

/** Every named schema (`.meta({ id })`, lib/openapi/schemas.ts) as a component, with $refs between them. */
function namedSchemas(): Json {
  const all = z.toJSONSchema(z.globalRegistry, { target: "draft-2020-12", io: "output", unrepresentable: "any", uri: URI }) as { schemas: Record<string, Json> };
  for (const s of Object.values(all.schemas)) delete s.$schema;
  return all.schemas;
}

/** A schema in place: a named one as its $ref, else converted whole (bodies: as a client sends them). */
function schemaOf(schema: z.ZodType, io: "input" | "output"): Json {
  const id = z.globalRegistry.get(schema)?.id;
  if (id) return { $ref: URI(id) };
  const out = z.toJSONSchema(schema, { target: "draft-2020-12", io, unrepresentable: "any" }) as Json;
  delete out.$schema;
  return stripInternal(out);
}

/** `ignoredFields` is how a body reader reports unknown fields, not something a client sends. */
function stripInternal(s: Json): Json {
  const props = s.properties as Json | undefined;
  if (props && "ignoredFields" in props) delete props.ignoredFields;
  return s;
}

function errorAnswers(op: Operation): Record<string, Json> {
  const out: Record<string, Json> = {};
  if (op.gatewayErrors?.length) {
    const byStatus = new Map<number, GatewayErrorCode[]>();
    for (const c of op.gatewayErrors) byStatus.set(gatewayErrorStatus(c), [...(byStatus.get(gatewayErrorStatus(c)) ?? []), c]);
    for (const [status, codes] of byStatus) {
      out[status] = {
        description: `The hub's own error, in the OpenAI error shape: ${codes.map((c) => `\`${c}\``).join(", ")}`,
        content: { "application/json": { schema: REF("GatewayError") } },
      };
    }
    return out;
  }
  const codes = [...new Set([...(op.errors ?? []), ...commonErrors(op)])];
  const byStatus = new Map<number, ErrorCode[]>();
  for (const c of codes) byStatus.set(STATUS_OF_CODE[c], [...(byStatus.get(STATUS_OF_CODE[c]) ?? []), c]);
  for (const [status, list] of [...byStatus].sort((a, b) => a[0] - b[0])) {
    out[status] = {
      description: list.map((c) => `\`${c}\`: ${ERROR_TEXT[c]}`).join(". "),
      content: { "application/json": { schema: REF("Error"), examples: Object.fromEntries(list.map((c) => [c, { value: { detail: ERROR_TEXT[c], code: c } }])) } },
    };
  }
  return out;
}

function parameters(op: Operation): Json[] {
  const out: Json[] = [];
  for (const [name, description] of Object.entries(op.pathParams ?? {})) out.push({ name, in: "path", required: true, description, schema: { type: "string" } });
  if (op.query) {
    const shape = schemaOf(op.query, "input") as { properties?: Record<string, Json>; required?: string[] };
    for (const [name, schema] of Object.entries(shape.properties ?? {})) {
      const { description, ...rest } = schema;
      out.push({ name, in: "query", required: shape.required?.includes(name) ?? false, ...(description ? { description } : {}), schema: rest });
    }
  }
  return out;
}

function security(op: Operation): Json[] | undefined {
  if (op.access === "hub_key") return [{ hubKey: [] }, { hubKeyHeader: [] }];
  if (op.access === "user" || op.access === "admin") return [{ session: [] }];
  return [];
}

function operationObject(op: Operation): Json {
  const responses: Record<string, Json> = {};
  for (const [status, a] of Object.entries(op.answers)) {
    const type = a.contentType ?? "application/json";
    responses[status] = {
      description: a.description,
      ...(op.rateLimited ? { headers: { "X-RateLimit-Limit": { schema: { type: "integer" } }, "X-RateLimit-Remaining": { schema: { type: "integer" } }, "X-RateLimit-Reset": { schema: { type: "integer" } } } } : {}),
      ...(a.schema || a.contentType
        ? { content: { [type]: { ...(a.schema ? { schema: schemaOf(a.schema, "output") } : { schema: { type: "string" } }), ...(a.example !== undefined ? { example: a.example } : {}) } } }
        : {}),
    };
  }
  Object.assign(responses, errorAnswers(op));
  const access = op.access === "admin" ? "Admin session." : op.access === "user" ? "Any signed-in user." : op.access === "hub_key" ? "A hub key (no session)." : "Public.";
  return {
    operationId: operationId(op),
    tags: [op.tag],
    summary: op.summary,
    description: [access, op.description].filter(Boolean).join(" "),
    ...(parameters(op).length ? { parameters: parameters(op) } : {}),
    ...(op.body
      ? { requestBody: { required: true, content: { "application/json": { schema: schemaOf(op.body.schema, "input"), ...(op.body.example !== undefined ? { example: op.body.example } : {}) } } } }
      : {}),
    responses,
    security: security(op),
  };
}

export function operationId(op: Pick<Operation, "method" | "path">): string {
  const words = op.path
    .replace(/^\/api\/(v1\/)?/, "")
    .split(/[/.-]/)
    .filter(Boolean)
    .map((w) => (w.startsWith("{") ? `by_${w.slice(1, -1)}` : w));
  return [op.method, ...words].join("_").replace(/[^A-Za-z0-9_]/g, "_");
}

let cached: Json | null = null;

/** The document (built on first use; the same object afterwards). */
export function openApiDocument(): Json {
  if (cached) return cached;
  const paths: Record<string, Json> = {};
  for (const op of OPERATIONS) (paths[op.path] ??= {})[op.method] = operationObject(op);
  cached = {
    openapi: "3.1.0",
    info: {
      title: "LLM Hub API",
      version: "1",
      description:
        "Provider keys stored encrypted and tested for free, their health, alerts and webhooks, hub keys, the LLM gateway and its usage. Errors are `{detail, code}` (the gateway's are OpenAI's `{error: {message, type, code}}`). Mutations from a browser must come from this site's Origin.",
    },
    servers: [{ url: "/" }],
    tags: [...new Set(OPERATIONS.map((o) => o.tag))].map((name) => ({ name })),
    paths,
    components: {
      schemas: namedSchemas(),
      securitySchemes: {
        session: { type: "apiKey", in: "cookie", name: SESSION_COOKIE, description: "Set by POST /api/v1/auth/login" },
        hubKey: { type: "http", scheme: "bearer", description: "A hub key (`llmhub_…`) as `Authorization: Bearer`" },
        hubKeyHeader: { type: "apiKey", in: "header", name: "x-api-key", description: "A hub key as `x-api-key` (Anthropic's SDK), or `x-goog-api-key` / `api-key`" },
      },
    },
  };
  return cached;
}
