import { describe, expect, it } from "vitest";
import { addressLimitKey, clientAddress } from "./client-address";

describe("clientAddress", () => {
  it("ignores X-Forwarded-For without a trusted proxy", () => {
    expect(clientAddress("10.0.0.9", "203.0.113.5", 0)).toBe("10.0.0.9");
    // without the header, asked again and again for the same socket address (it is kept normalised)
    for (let i = 0; i < 3; i++) {
      expect(clientAddress("::ffff:10.1.2.3", undefined, 0)).toBe("10.1.2.3");
      expect(clientAddress("::ffff:10.1.2.3", undefined, 2)).toBe("10.1.2.3");
      expect(clientAddress("not-an-address", undefined, 0)).toBeNull();
    }
    expect(clientAddress("::ffff:127.0.0.1", "203.0.113.5, 198.51.100.1", 0)).toBe("127.0.0.1");
  });

  it("takes the entry one proxy appended, never what the client wrote to its left", () => {
    // the client sent "X-Forwarded-For: 1.2.3.4"; the proxy appended the address it saw
    expect(clientAddress("10.0.0.2", "1.2.3.4, 203.0.113.7", 1)).toBe("203.0.113.7");
    expect(clientAddress("10.0.0.2", "203.0.113.7", 1)).toBe("203.0.113.7");
    expect(clientAddress("10.0.0.2", ["9.9.9.9", "203.0.113.7"], 1)).toBe("203.0.113.7");
  });

  it("counts further hops from the right", () => {
    const xff = "6.6.6.6, 203.0.113.7, 10.0.0.1";
    expect(clientAddress("10.0.0.2", xff, 2)).toBe("203.0.113.7");
    expect(clientAddress("10.0.0.2", xff, 1)).toBe("10.0.0.1");
    expect(clientAddress("10.0.0.2", xff, 3)).toBe("6.6.6.6");
  });

  it("gives the leftmost entry when the list is shorter than the hop count, the socket when there is none", () => {
    expect(clientAddress("10.0.0.2", "203.0.113.7", 2)).toBe("203.0.113.7");
    expect(clientAddress("10.0.0.2", undefined, 1)).toBe("10.0.0.2");
    expect(clientAddress("10.0.0.2", "", 1)).toBe("10.0.0.2");
  });

  it("drops ports, brackets and the IPv4-mapped prefix, and skips entries that are not addresses", () => {
    expect(clientAddress("10.0.0.2", "203.0.113.7:51234", 1)).toBe("203.0.113.7");
    expect(clientAddress("10.0.0.2", "[2001:DB8::1]:443", 1)).toBe("2001:db8::1");
    expect(clientAddress("10.0.0.2", "::ffff:203.0.113.7", 1)).toBe("203.0.113.7");
    expect(clientAddress("10.0.0.2", "6.6.6.6, unknown", 2)).toBe("6.6.6.6");
    expect(clientAddress("10.0.0.2", "unknown", 1)).toBe("10.0.0.2");
    expect(clientAddress("10.0.0.2", "<script>", 1)).toBe("10.0.0.2");
  });
});

describe("addressLimitKey", () => {
  it("keys IPv4 clients on their address", () => {
    expect(addressLimitKey("203.0.113.7")).toBe("203.0.113.7");
    expect(addressLimitKey(null)).toBe("unknown");
  });

  it("keys IPv6 clients on their /64, whatever the notation", () => {
    const key = "2001:db8:1:2::/64";
    expect(addressLimitKey("2001:db8:1:2::1")).toBe(key);
    expect(addressLimitKey("2001:db8:1:2:ffff:ffff:ffff:ffff")).toBe(key);
    expect(addressLimitKey("2001:0DB8:0001:0002:0000:0000:0000:0abc")).toBe(key);
    expect(addressLimitKey("2001:db8:1:3::1")).not.toBe(key);
  });

  it("keys an IPv4-mapped IPv6 address on its IPv4 address", () => {
    expect(addressLimitKey("::ffff:203.0.113.7")).toBe("203.0.113.7");
    expect(addressLimitKey("::ffff:cb00:7107")).toBe("203.0.113.7");
  });
});
