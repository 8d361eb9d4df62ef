/**
 * Who a request comes from: the address the audit log records, and the key the per-address sign-in
 * limit counts it under.
 */
import { isIP, isIPv4 } from "node:net";
import { parseIPv6 } from "./ip-address";

/**
 * The client's address behind `trustedHops` proxies (TRUST_PROXY). Each proxy appends the address
 * it received the request from to X-Forwarded-For, so counting from the right, the socket's peer is
 * hop 0, the last entry hop 1, and so on; everything further left was written by the client and
 * proves nothing. With 0 hops the header is ignored. A list shorter than the hop count gives its
 * leftmost entry (the request passed through fewer proxies); an entry that is not an address (say
 * `unknown`) gives the nearest valid one to its right, so a client can never choose its address.
 */
export function clientAddress(socketAddress: string | undefined, forwardedFor: string | string[] | undefined, trustedHops: number): string | null {
  // no header (most requests): the socket's address, normalised once per address
  if (forwardedFor === undefined && socketAddress !== undefined) return socketClient(socketAddress);
  const listed = (Array.isArray(forwardedFor) ? forwardedFor.join(",") : (forwardedFor ?? "")).split(",");
  const chain = [socketAddress ?? "", ...listed.reverse()].slice(0, trustedHops + 1);
  let client: string | null = null;
  for (const entry of chain) {
    const address = normalize(entry);
    if (address) client = address;
  }
  return client;
}

/** Socket addresses normalised (every request asks; few addresses connect): bounded, emptied when full. */
const socketClients = new Map<string, string | null>();

function socketClient(address: string): string | null {
  let client = socketClients.get(address);
  if (client === undefined) {
    client = normalize(address);
    if (socketClients.size >= 4096) socketClients.clear();
    socketClients.set(address, client);
  }
  return client;
}

/** An X-Forwarded-For entry or socket address without port, brackets or IPv4-mapped prefix; null if not an IP. */
function normalize(entry: string): string | null {
  let s = entry.trim();
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(s);
  if (bracketed) s = bracketed[1]!;
  else if (/^[\d.]+:\d+$/.test(s)) s = s.slice(0, s.lastIndexOf(":")); // IPv4 with a port
  s = s.replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/i, "");
  return isIP(s) ? s.toLowerCase() : null;
}

/**
 * What the per-address sign-in limit counts under: an IPv4 address as it is, an IPv6 address by its
 * /64 (one subscriber usually holds a whole /64 and can use any address in it).
 */
export function addressLimitKey(ip: string | null): string {
  if (!ip) return "unknown";
  if (isIPv4(ip)) return ip;
  const n = parseIPv6(ip);
  if (n === null) return ip;
  if (n >> 32n === 0xffffn) return [24n, 16n, 8n, 0n].map((s) => String((n >> s) & 0xffn)).join("."); // IPv4-mapped
  const groups = [112n, 96n, 80n, 64n].map((s) => ((n >> s) & 0xffffn).toString(16));
  return `${groups.join(":")}::/64`;
}
