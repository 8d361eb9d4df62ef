/**
 * The shared cookie-jar client (which fails on any leaked key) plus bookkeeping: every request is
 * tagged with a per-file User-Agent, and what the audit log must now hold for it is appended to the
 * tally file, along with the endpoint it reached (for the cases-per-endpoint report). The final
 * audit test compares the tally with the audit_events rows.
 */
import { appendFileSync } from "node:fs";
import { inject } from "vitest";
import { type ApiResponse, Client, type Json, type RequestOptions } from "../../support/client";

export const UA_PREFIX = "llmhub-sec/";
const ID = "[^/]+";

/** The app's routes, as the path a request reaches (after URL normalisation) and its audit action. */
const ROUTES: { re: RegExp; name: string; actions: Record<string, string> }[] = [
  { re: /^\/api\/v1\/auth\/login$/, name: "/auth/login", actions: { POST: "auth.login" } },
  { re: /^\/api\/v1\/auth\/logout$/, name: "/auth/logout", actions: { POST: "auth.logout" } },
  { re: /^\/api\/v1\/auth\/me$/, name: "/auth/me", actions: { GET: "auth.me" } },
  { re: /^\/api\/v1\/llm\/providers\/keys$/, name: "/keys", actions: { GET: "provider_key.list", POST: "provider_key.create" } },
  { re: /^\/api\/v1\/llm\/providers\/keys\/test$/, name: "/keys/test", actions: { POST: "provider_key.test" } },
  { re: /^\/api\/v1\/llm\/providers\/info$/, name: "/info", actions: { GET: "provider_key.info" } },
  { re: new RegExp(`^/api/v1/llm/providers/keys/${ID}/health$`), name: "/keys/{id}/health", actions: { GET: "provider_key.health" } },
  { re: new RegExp(`^/api/v1/llm/providers/keys/${ID}$`), name: "/keys/{id}", actions: { PATCH: "provider_key.patch", DELETE: "provider_key.delete" } },
];

export interface RouteHit {
  /** "POST /keys", "DELETE /keys/{id}", or "other <METHOD>" for paths no route of the app serves. */
  endpoint: string;
  action: string | null;
}

export function routeOf(method: string, path: string, hasHealth = inject("hasHealthRoute")): RouteHit {
  const pathname = new URL(path, "http://x").pathname; // fetch normalises the same way ("..", "%2e")
  for (const r of ROUTES) {
    if (!r.re.test(pathname)) continue;
    if (r.name === "/keys/{id}/health" && !hasHealth) break;
    const action = r.actions[method] ?? null;
    return { endpoint: action ? `${method} ${r.name}` : `other ${method}`, action };
  }
  return { endpoint: `other ${method}`, action: null };
}

/** The audit record a request must leave (`action|outcome|status`), or null when none. */
export function expectedAudit(hit: RouteHit, res: ApiResponse, sentLiveSession: boolean): string | null {
  const a = hit.action;
  if (!a) return null;
  const s = res.status;
  if (a === "auth.login") {
    if (s === 200) return "auth.login|success|200";
    if (s === 401) return "auth.login|failure|401";
    if (s === 403 || s === 429) return `auth.login|denied|${s}`;
    return null;
  }
  if (s === 401 || s === 403 || s === 429) return `${a}|denied|${s}`;
  if (a === "auth.logout") return s === 200 && sentLiveSession ? "auth.logout|success|200" : null;
  if (a === "provider_key.create") {
    if (s === 201) return "provider_key.create|success|201";
    if (s === 200) return "provider_key.update|success|200";
    if (s === 400 && res.body?.code === "key_test_failed") return "provider_key.create|failure|400";
    return null;
  }
  if (s !== 200) return null;
  if (a === "provider_key.test") return `provider_key.test|${res.body?.success === true ? "success" : "failure"}|200`;
  if (a === "provider_key.patch" || a === "provider_key.delete") return `${a}|success|200`;
  return null;
}

/** Session cookie values this file holds that the server still honours. */
const live = new Set<string>();
export const forgetSession = (value: string | undefined) => value && live.delete(value);
export const isLive = (value: string | undefined) => Boolean(value && live.has(value));

export interface TallyLine {
  label: string;
  endpoint: string;
  status: number;
  audit: string | null;
}

export function appendTally(line: TallyLine): void {
  appendFileSync(inject("tallyFile"), `${JSON.stringify(line)}\n`);
}

const sessionValues = (cookieHeader: string | null | undefined) =>
  (cookieHeader ?? "")
    .split(";")
    .map((p) => p.trim())
    .filter((p) => p.startsWith("session_token="))
    .map((p) => p.slice("session_token=".length));

export class SecClient extends Client {
  /** `label` names the file (or concern); it must not contain ";". */
  constructor(readonly label: string) {
    super();
    this.defaultHeaders["user-agent"] = `${UA_PREFIX}${label};`;
  }

  override async request<T = Json>(method: string, path: string, body?: unknown, opts: RequestOptions = {}): Promise<ApiResponse<T>> {
    const sent = opts.cookie === undefined ? (this.cookie("session_token") ? [this.cookie("session_token")!] : []) : sessionValues(opts.cookie);
    const wasLive = sent.length === 1 && isLive(sent[0]);
    const res = await super.request<T>(method, path, body, opts);
    const hit = routeOf(method, path);
    if (hit.action === "auth.login" && res.status === 200) {
      const v = /^session_token=([^;]*)/.exec(res.headers.getSetCookie().find((c) => c.startsWith("session_token=")) ?? "")?.[1];
      if (v) live.add(v);
    }
    if (hit.action === "auth.logout" && res.status === 200 && wasLive) forgetSession(sent[0]);
    appendTally({ label: this.label, endpoint: hit.endpoint, status: res.status, audit: expectedAudit(hit, res as ApiResponse, wasLive) });
    return res;
  }
}

/** A client of this file, signed in (fails at once unless that worked). */
export async function secSignedIn(label: string, creds: { email: string; password: string }): Promise<SecClient> {
  return new SecClient(label).signIn(creds);
}
