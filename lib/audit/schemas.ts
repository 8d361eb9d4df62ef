import { z } from "zod";
import { badRequest } from "@/lib/errors";
import type { AuditFilter } from "@/lib/db/queries/audit";
import { PROVIDER_TYPES } from "@/lib/providers/catalogue";
import { isoInstant, parseQueryParams } from "@/lib/schemas/query-params";

/**
 * The audit log's query (`GET /api/v1/audit`, its CSV export and the Audit tab). Text filters match
 * exactly, or as a prefix when they end in `*` (an action also when it ends in `.`: `provider_key.`).
 */
export const AUDIT_OUTCOMES = ["success", "failure", "denied"] as const;
export const AUDIT_PAGE_DEFAULT = 50;
export const AUDIT_PAGE_MAX = 500;

const NO_CONTROL = /^[^\u0000-\u001f\u007f]*$/;
const textFilter = (name: string, what: string) =>
  z
    .string()
    .trim()
    .min(1, { error: `${name}: must not be empty` })
    .max(320, { error: `${name}: must be at most 320 characters` })
    .regex(NO_CONTROL, { error: `${name}: must not contain control characters` })
    .meta({ description: `${what}: exact, or a prefix ending in \`*\`` })
    .optional();

const filterShape = {
  actor: textFilter("actor", "The actor's email"),
  action: textFilter("action", "The action (`provider_key.create`); a value ending in `.` is a prefix too"),
  target: textFilter("target", "The target (a row's id)"),
  provider: z.enum(PROVIDER_TYPES, { error: `provider: must be one of ${PROVIDER_TYPES.join(", ")}` }).optional().meta({ description: "The provider type" }),
  outcome: z.enum(AUDIT_OUTCOMES, { error: `outcome: must be one of ${AUDIT_OUTCOMES.join(", ")}` }).optional(),
  from: isoInstant("from").meta({ description: "Records at or after this ISO 8601 time (no offset means UTC)" }),
  to: isoInstant("to").meta({ description: "Records before this ISO 8601 time" }),
};

const pageShape = {
  ...filterShape,
  before: z
    .string()
    .regex(/^[1-9]\d{0,15}$/, { error: "before: must be a record id (the answer's next_before)" })
    .transform(Number)
    .optional()
    .meta({ description: "The cursor: the previous page's `next_before` (a record id); records older than it" }),
  limit: z.coerce
    .number({ error: "limit: must be a number" })
    .int({ error: "limit: must be a whole number" })
    .min(1, { error: "limit: must be at least 1" })
    .max(AUDIT_PAGE_MAX, { error: `limit: must be at most ${AUDIT_PAGE_MAX}` })
    .default(AUDIT_PAGE_DEFAULT),
};

/** The list's query, for the OpenAPI document. */
export const auditQuerySchema = z.object(pageShape);
/** The export's query: the list's filters, without paging. */
export const auditExportQuerySchema = z.object(filterShape);

type FilterParams = z.infer<typeof auditExportQuerySchema>;
export type AuditFilterParams = { [K in keyof FilterParams]: FilterParams[K] extends Date | undefined ? string | undefined : FilterParams[K] };

const match = (v: string | undefined, dotIsPrefix = false) => {
  if (v === undefined) return undefined;
  if (v.endsWith("*")) return { value: v.slice(0, -1), prefix: true };
  return { value: v, prefix: dotIsPrefix && v.endsWith(".") };
};

function filterOf(q: FilterParams): { filter: AuditFilter; params: AuditFilterParams } {
  if (q.from && q.to && q.from.getTime() >= q.to.getTime()) throw badRequest("from: must be before to");
  const filter: AuditFilter = {
    actor: match(q.actor?.toLowerCase()),
    action: match(q.action, true),
    target: match(q.target),
    providerType: q.provider,
    outcome: q.outcome,
    from: q.from,
    to: q.to,
  };
  for (const k of ["actor", "action", "target"] as const) if (filter[k]?.prefix && filter[k].value === "") throw badRequest(`${k}: a prefix needs at least one character before '*'`);
  // the filters as given (times in ISO form), for the audit record of the read
  const params = Object.fromEntries(Object.entries({ ...q, from: q.from?.toISOString(), to: q.to?.toISOString() }).filter(([, v]) => v !== undefined)) as AuditFilterParams;
  return { filter, params };
}

export interface AuditPageQuery {
  filter: AuditFilter;
  params: AuditFilterParams;
  before: number | undefined;
  limit: number;
}

/** `?actor=&action=&target=&provider=&outcome=&from=&to=&before=&limit=`; a bad parameter is a 400 naming it. */
export function parseAuditQuery(search: URLSearchParams): AuditPageQuery {
  const { before, limit, ...rest } = parseQueryParams(search, pageShape);
  return { ...filterOf(rest), before, limit };
}

/** The export's filters (no `before`/`limit`: it is every matching record). */
export function parseAuditExportQuery(search: URLSearchParams): { filter: AuditFilter; params: AuditFilterParams } {
  return filterOf(parseQueryParams(search, filterShape));
}
