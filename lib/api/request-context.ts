import type { RequestContext } from "@/lib/call-context";

export type { RequestContext };

/**
 * lib/api/request-guard.ts has replaced X-Forwarded-For with the client's address as TRUST_PROXY
 * defines it (the socket's, or the one that many proxies away), so the header holds exactly that.
 */
export function requestContext(headers: Headers): RequestContext {
  const xff = headers.get("x-forwarded-for");
  const hops = (xff ?? "").split(",").map((s) => s.trim()).filter(Boolean);
  const ip = hops[hops.length - 1] ?? null;
  return { ip: ip?.replace(/^::ffff:/, "").slice(0, 64) ?? null, userAgent: headers.get("user-agent")?.slice(0, 512) ?? null };
}
