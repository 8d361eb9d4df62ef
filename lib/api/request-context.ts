import { getEnv } from "@/lib/env";

/** Who is calling from where: what the audit log and the sign-in limits need of a request. */
export interface RequestContext {
  ip: string | null;
  userAgent: string | null;
}

/**
 * Next sets X-Forwarded-For to the socket address only when the request has none, so without a
 * proxy that overwrites it the value is whatever the client sent; the rightmost entry is the one
 * the nearest proxy saw. TRUST_PROXY=false keeps only the rightmost hop either way.
 */
export function requestContext(headers: Headers): RequestContext {
  const xff = headers.get("x-forwarded-for");
  const hops = (xff ?? "").split(",").map((s) => s.trim()).filter(Boolean);
  const ip = (getEnv().TRUST_PROXY ? hops[0] : hops[hops.length - 1]) ?? null;
  return { ip: ip?.replace(/^::ffff:/, "").slice(0, 64) ?? null, userAgent: headers.get("user-agent")?.slice(0, 512) ?? null };
}
