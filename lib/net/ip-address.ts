/**
 * IP address classification for the SSRF policy (see url-policy.ts). Written out by hand rather than with
 * `net.BlockList` because the IPv6 forms that embed an IPv4 address (mapped, NAT64, 6to4) must be
 * classified by the address they embed, which a prefix list cannot express.
 */
import { isIPv4, isIPv6 } from "node:net";

/**
 * - `public`: globally routable.
 * - `private`: RFC 1918, CGNAT, unique-local IPv6 and the like (self-hosted servers live here).
 * - `loopback`: this machine.
 * - `link_local`: link-local and cloud metadata endpoints; never allowed.
 * - `reserved`: unspecified, multicast, broadcast, documentation and other special ranges; never allowed.
 */
export type AddressClass = "public" | "private" | "loopback" | "link_local" | "reserved";

type V4Range = readonly [base: string, prefix: number, cls: AddressClass];

// Most specific first: the metadata hosts sit inside ranges that would otherwise be private or public.
const V4_RANGES: readonly V4Range[] = [
  ["100.100.100.200", 32, "link_local"], // Alibaba Cloud metadata
  ["168.63.129.16", 32, "link_local"], // Azure WireServer / host platform endpoint
  ["169.254.0.0", 16, "link_local"], // incl. 169.254.169.254 (AWS, GCP, Azure IMDS) and 169.254.170.2 (ECS)
  ["0.0.0.0", 8, "reserved"], // "this network"; 0.0.0.0 reaches localhost on Linux
  ["127.0.0.0", 8, "loopback"],
  ["10.0.0.0", 8, "private"],
  ["100.64.0.0", 10, "private"], // CGNAT, also used by Tailscale
  ["172.16.0.0", 12, "private"],
  ["192.168.0.0", 16, "private"],
  ["198.18.0.0", 15, "private"], // benchmarking, not globally routed
  ["192.0.0.0", 24, "reserved"], // IETF protocol assignments (incl. Oracle Cloud 192.0.0.192)
  ["192.0.2.0", 24, "reserved"], // documentation
  ["192.88.99.0", 24, "reserved"], // deprecated 6to4 relay anycast
  ["198.51.100.0", 24, "reserved"],
  ["203.0.113.0", 24, "reserved"],
  ["224.0.0.0", 4, "reserved"], // multicast
  ["240.0.0.0", 4, "reserved"], // reserved, incl. broadcast 255.255.255.255
];

/** Dotted-quad IPv4 to an unsigned 32-bit number, or null. */
export function parseIPv4(s: string): number | null {
  if (!isIPv4(s)) return null;
  return s.split(".").reduce((acc, part) => acc * 256 + Number(part), 0);
}

/** Any textual IPv6 (compressed, with a trailing dotted quad, with a zone id) to a 128-bit number, or null. */
export function parseIPv6(s: string): bigint | null {
  const addr = s.replace(/%.*$/, "");
  if (!isIPv6(addr)) return null;
  const [head = "", tail] = addr.split("::");
  const toGroups = (part: string): number[] => {
    if (part === "") return [];
    return part.split(":").flatMap((g) => {
      const v4 = g.includes(".") ? parseIPv4(g) : null;
      return v4 === null ? [parseInt(g, 16)] : [Math.floor(v4 / 65536), v4 % 65536];
    });
  };
  const h = toGroups(head);
  const t = tail === undefined ? [] : toGroups(tail);
  const groups = tail === undefined ? h : [...h, ...new Array<number>(8 - h.length - t.length).fill(0), ...t];
  return groups.reduce((acc, g) => (acc << 16n) | BigInt(g), 0n);
}

function v4InRange(n: number, base: string, prefix: number): boolean {
  const b = parseIPv4(base) ?? 0;
  const size = 2 ** (32 - prefix);
  return Math.floor(n / size) === Math.floor(b / size);
}

function classifyV4(n: number): AddressClass {
  for (const [base, prefix, cls] of V4_RANGES) if (v4InRange(n, base, prefix)) return cls;
  return "public";
}

const v6 = (s: string): bigint => parseIPv6(s) ?? 0n;
const inV6 = (x: bigint, base: string, prefix: number): boolean => x >> BigInt(128 - prefix) === v6(base) >> BigInt(128 - prefix);
const low32 = (x: bigint): number => Number(x & 0xffffffffn);

function classifyV6(x: bigint): AddressClass {
  if (x === 0n) return "reserved"; // ::
  if (x === 1n) return "loopback"; // ::1
  // Forms that carry an IPv4 address are as dangerous as that address: ::ffff:a.b.c.d (mapped),
  // ::a.b.c.d (deprecated compatible), ::ffff:0:a.b.c.d (SIIT), 64:ff9b::a.b.c.d (NAT64).
  if (inV6(x, "::ffff:0:0", 96) || inV6(x, "::", 96) || inV6(x, "::ffff:0:0:0", 96) || inV6(x, "64:ff9b::", 96)) {
    return classifyV4(low32(x));
  }
  if (inV6(x, "2002::", 16)) return classifyV4(Number((x >> 80n) & 0xffffffffn)); // 6to4
  if (x === v6("fd00:ec2::254")) return "link_local"; // AWS IMDS over IPv6
  if (inV6(x, "fe80::", 10)) return "link_local";
  if (inV6(x, "64:ff9b:1::", 48)) return "private"; // local-use NAT64
  if (inV6(x, "fec0::", 10)) return "private"; // deprecated site-local
  if (inV6(x, "fc00::", 7)) return "private"; // unique local
  if (inV6(x, "ff00::", 8)) return "reserved"; // multicast
  if (inV6(x, "2001::", 23)) return "reserved"; // IETF assignments incl. Teredo, whose target is obfuscated
  if (inV6(x, "2001:db8::", 32) || inV6(x, "3fff::", 20) || inV6(x, "100::", 64)) return "reserved";
  if (inV6(x, "2000::", 3)) return "public"; // global unicast
  return "reserved";
}

/** Classifies a textual IPv4 or IPv6 address; anything unparsable is `reserved` (refused). */
export function classifyAddress(address: string): AddressClass {
  const n4 = parseIPv4(address);
  if (n4 !== null) return classifyV4(n4);
  const n6 = parseIPv6(address);
  return n6 === null ? "reserved" : classifyV6(n6);
}
