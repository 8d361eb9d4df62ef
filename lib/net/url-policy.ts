/**
 * SSRF policy for user-supplied base URLs (docs/api.md, `bad_base_url`; README, PROVIDER_URL_POLICY). The caller connects to the address this
 * returns, so a DNS answer that changes between check and connect (rebinding) cannot slip through.
 */
import { promises as dns } from "node:dns";
import { isIP } from "node:net";
import { classifyAddress, type AddressClass } from "./ip-address";

/** `public`: public addresses only. `private`: also private networks (default). `any`: also loopback. */
export type UrlPolicy = "public" | "private" | "any";

export const URL_POLICIES: readonly UrlPolicy[] = ["public", "private", "any"];

export const MAX_BASE_URL_LENGTH = 2048;

export type LookupFn = (host: string) => Promise<{ address: string; family: 4 | 6 }[]>;

export interface AllowedUrl {
  url: URL;
  /** The checked address to connect to. */
  address: string;
  family: 4 | 6;
}

/** A refused base URL. `reason` is a fixed sentence that is safe to show to the user. */
export class UrlPolicyError extends Error {
  readonly reason: string;
  constructor(reason: string) {
    super(reason);
    this.name = "UrlPolicyError";
    this.reason = reason;
  }
}

export function isUrlPolicy(s: unknown): s is UrlPolicy {
  return typeof s === "string" && (URL_POLICIES as readonly string[]).includes(s);
}

const defaultLookup: LookupFn = async (host) => {
  const all = await dns.lookup(host, { all: true, verbatim: true });
  return all.map((a) => ({ address: a.address, family: a.family === 6 ? 6 : 4 }));
};

/** Why an address is refused under a policy, or null when it is allowed. */
export function addressRefusal(address: string, policy: UrlPolicy): string | null {
  const cls: AddressClass = classifyAddress(address);
  switch (cls) {
    case "link_local":
      return `Base URL resolves to a link-local or metadata address (${address}), which is never allowed`;
    case "reserved":
      return `Base URL resolves to a reserved, multicast or broadcast address (${address}), which is never allowed`;
    case "loopback":
      return policy === "any" ? null : "Base URL resolves to a loopback address; set PROVIDER_URL_POLICY=any to allow it";
    case "private":
      return policy === "public" ? "Base URL resolves to a private address; PROVIDER_URL_POLICY=public forbids it" : null;
    case "public":
      return null;
  }
}

/** Checks the URL's shape without any network access; throws UrlPolicyError. */
export function parseBaseUrl(raw: string): URL {
  if (raw.length > MAX_BASE_URL_LENGTH) {
    throw new UrlPolicyError(`Base URL must be at most ${MAX_BASE_URL_LENGTH} characters`);
  }
  const trimmed = raw.trim();
  // The URL parser silently drops tabs and newlines inside a URL; refuse them instead of guessing.
  if (/[\s\u0000-\u001f\u007f]/.test(trimmed)) {
    throw new UrlPolicyError("Base URL must not contain spaces or control characters");
  }
  let url: URL;
  try {
    url = new URL(trimmed);
  } catch {
    throw new UrlPolicyError("Base URL is not a valid URL");
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") throw new UrlPolicyError("Base URL must use http or https");
  if (url.username !== "" || url.password !== "") throw new UrlPolicyError("Base URL must not contain credentials");
  // Paths are appended to the base; a query or fragment would end up in the wrong place.
  if (url.search !== "" || url.hash !== "" || trimmed.includes("#") || trimmed.includes("?")) {
    throw new UrlPolicyError("Base URL must not contain a query string or fragment");
  }
  return url;
}

// Worst first, so the message names the most serious problem when a name has several addresses.
const SEVERITY: Readonly<Record<AddressClass, number>> = { link_local: 0, reserved: 1, loopback: 2, private: 3, public: 4 };

/**
 * Validates a base URL and resolves its host under the policy. Every resolved address must be
 * allowed (one bad answer refuses the name); the first one is returned for the connection.
 */
export async function resolveAllowedUrl(
  raw: string,
  policy: UrlPolicy,
  lookup: LookupFn = defaultLookup,
): Promise<AllowedUrl> {
  const url = parseBaseUrl(raw);
  const host = url.hostname.replace(/^\[(.*)\]$/, "$1");
  let addresses: { address: string; family: 4 | 6 }[];
  const literal = isIP(host);
  if (literal === 4 || literal === 6) {
    addresses = [{ address: host, family: literal }];
  } else {
    try {
      addresses = await lookup(host);
    } catch {
      addresses = [];
    }
    if (addresses.length === 0) throw new UrlPolicyError("Base URL host could not be resolved");
  }
  const refused = addresses
    .map((a) => ({ cls: classifyAddress(a.address), reason: addressRefusal(a.address, policy) }))
    .filter((r): r is { cls: AddressClass; reason: string } => r.reason !== null)
    .sort((a, b) => SEVERITY[a.cls] - SEVERITY[b.cls]);
  if (refused[0]) throw new UrlPolicyError(refused[0].reason);
  const [first] = addresses;
  if (!first) throw new UrlPolicyError("Base URL host could not be resolved");
  return { url, address: first.address, family: first.family };
}
