import { getEnv } from "@/lib/env";

/** Who is calling from where: what the audit log and the sign-in limits need of a request. */
export interface RequestContext {
  ip: string | null;
  userAgent: string | null;
}

/**
 * Without TRUST_PROXY, lib/net/request-guard.ts has replaced X-Forwarded-For with the socket's
 * address, so the header holds exactly that. With TRUST_PROXY, the leftmost entry is the client as
 * the proxies in front of us reported it.
 */
export function requestContext(headers: Headers): RequestContext {
  const xff = headers.get("x-forwarded-for");
  const hops = (xff ?? "").split(",").map((s) => s.trim()).filter(Boolean);
  const ip = (getEnv().TRUST_PROXY ? hops[0] : hops[hops.length - 1]) ?? null;
  return { ip: ip?.replace(/^::ffff:/, "").slice(0, 64) ?? null, userAgent: headers.get("user-agent")?.slice(0, 512) ?? null };
}
