import { describe, expect, it } from "vitest";
import { classifyAddress, parseIPv6 } from "./ip-address";
import { resolveAllowedUrl, UrlPolicyError, type LookupFn, type UrlPolicy } from "./url-policy";

const noDns: LookupFn = async () => {
  throw new Error("lookup must not be called for IP literals");
};
const resolvesTo =
  (...addresses: string[]): LookupFn =>
  async () =>
    addresses.map((address) => ({ address, family: address.includes(":") ? 6 : 4 }));

async function reason(raw: string, policy: UrlPolicy, lookup: LookupFn = noDns): Promise<string> {
  try {
    await resolveAllowedUrl(raw, policy, lookup);
  } catch (err) {
    if (err instanceof UrlPolicyError) return err.reason;
    throw err;
  }
  return "allowed";
}

const LINK_LOCAL = "Base URL resolves to a link-local or metadata address";
const LOOPBACK = "Base URL resolves to a loopback address; set PROVIDER_URL_POLICY=any to allow it";
const PRIVATE = "Base URL resolves to a private address; PROVIDER_URL_POLICY=public forbids it";

describe("classifyAddress", () => {
  it.each([
    ["8.8.8.8", "public"],
    ["1.1.1.1", "public"],
    ["127.0.0.1", "loopback"],
    ["127.255.255.254", "loopback"],
    ["10.1.2.3", "private"],
    ["172.16.0.1", "private"],
    ["172.31.255.255", "private"],
    ["172.32.0.1", "public"],
    ["192.168.1.10", "private"],
    ["100.64.0.1", "private"],
    ["100.127.255.255", "private"],
    ["100.100.100.200", "link_local"],
    ["169.254.169.254", "link_local"],
    ["169.254.170.2", "link_local"],
    ["168.63.129.16", "link_local"],
    ["0.0.0.0", "reserved"],
    ["0.1.2.3", "reserved"],
    ["224.0.0.1", "reserved"],
    ["239.255.255.250", "reserved"],
    ["255.255.255.255", "reserved"],
    ["240.0.0.1", "reserved"],
    ["192.0.2.1", "reserved"],
    ["::1", "loopback"],
    ["::", "reserved"],
    ["fe80::1", "link_local"],
    ["febf::1", "link_local"],
    ["fe80::1%eth0", "link_local"],
    ["fc00::1", "private"],
    ["fd12:3456::1", "private"],
    ["fd00:ec2::254", "link_local"],
    ["ff02::1", "reserved"],
    ["::ffff:169.254.169.254", "link_local"],
    ["::ffff:a9fe:a9fe", "link_local"],
    ["::ffff:127.0.0.1", "loopback"],
    ["::ffff:10.0.0.1", "private"],
    ["::ffff:8.8.8.8", "public"],
    ["::127.0.0.1", "loopback"],
    ["64:ff9b::a9fe:a9fe", "link_local"],
    ["64:ff9b::169.254.169.254", "link_local"],
    ["64:ff9b::8.8.8.8", "public"],
    ["2002:a9fe:a9fe::1", "link_local"],
    ["2002:7f00:1::", "loopback"],
    ["2002:0808:0808::1", "public"],
    ["2001:db8::1", "reserved"],
    ["2001:0:4136:e378:8000:63bf:3fff:fdd2", "reserved"],
    ["2606:4700:4700::1111", "public"],
    ["2a00:1450:4001:82a::200e", "public"],
    ["not-an-ip", "reserved"],
  ])("%s is %s", (address, cls) => {
    expect(classifyAddress(address)).toBe(cls);
  });

  it("parses compressed and dotted IPv6 forms", () => {
    expect(parseIPv6("::ffff:169.254.169.254")).toBe(parseIPv6("0:0:0:0:0:ffff:a9fe:a9fe"));
    expect(parseIPv6("1::")).toBe(1n << 112n);
    expect(parseIPv6("nope")).toBeNull();
  });
});

describe("resolveAllowedUrl - literals", () => {
  it("the URL parser normalises decimal, octal and hex IPv4 forms, and all are refused", async () => {
    for (const raw of ["http://2852039166/", "http://0251.0376.0251.0376/", "http://0xa9fea9fe/", "http://0xa9.0xfe.43518/"]) {
      expect(await reason(raw, "any")).toBe(`${LINK_LOCAL} (169.254.169.254), which is never allowed`);
    }
    expect(await reason("http://127.1/v1", "private")).toBe(LOOPBACK);
    expect(await reason("http://0/", "any")).toContain("never allowed");
  });
  it("refuses IPv4-mapped, NAT64 and link-local IPv6 literals", async () => {
    expect(await reason("http://[::ffff:169.254.169.254]/", "any")).toContain(LINK_LOCAL);
    expect(await reason("http://[::ffff:a9fe:a9fe]/", "any")).toContain(LINK_LOCAL);
    expect(await reason("http://[64:ff9b::a9fe:a9fe]/", "any")).toContain(LINK_LOCAL);
    expect(await reason("http://[fe80::1]/", "any")).toContain(LINK_LOCAL);
    expect(await reason("http://[fd00:ec2::254]/", "any")).toContain(LINK_LOCAL);
    expect(await reason("http://[ff02::1]/", "any")).toContain("never allowed");
  });
  it("applies each policy level to loopback, private and public addresses", async () => {
    const cases: [string, UrlPolicy, string][] = [
      ["http://127.0.0.1:8000/v1", "any", "allowed"],
      ["http://127.0.0.1:8000/v1", "private", LOOPBACK],
      ["http://127.0.0.1:8000/v1", "public", LOOPBACK],
      ["http://[::1]:8000/v1", "private", LOOPBACK],
      ["http://192.168.1.20:11434/v1", "private", "allowed"],
      ["http://192.168.1.20:11434/v1", "any", "allowed"],
      ["http://192.168.1.20:11434/v1", "public", PRIVATE],
      ["http://[fd00::5]/v1", "public", PRIVATE],
      ["http://100.64.1.1/v1", "public", PRIVATE],
      ["https://8.8.8.8/v1", "public", "allowed"],
      ["http://100.100.100.200/", "any", `${LINK_LOCAL} (100.100.100.200), which is never allowed`],
    ];
    for (const [raw, policy, expected] of cases) expect(await reason(raw, policy), `${raw} ${policy}`).toBe(expected);
  });
  it("returns the checked address to connect to", async () => {
    const r = await resolveAllowedUrl("http://[::1]:8000/v1/", "any");
    expect(r).toMatchObject({ address: "::1", family: 6 });
    expect(r.url.pathname).toBe("/v1/");
  });
});

describe("resolveAllowedUrl - names", () => {
  it("refuses a name that resolves to link-local", async () => {
    expect(await reason("http://metadata.google.internal/", "any", resolvesTo("169.254.169.254"))).toContain(LINK_LOCAL);
  });
  it("refuses a name when ANY resolved address is refused, reporting the worst", async () => {
    expect(await reason("https://evil.example/v1", "any", resolvesTo("93.184.216.34", "169.254.169.254"))).toContain(LINK_LOCAL);
    expect(await reason("https://mixed.example/v1", "public", resolvesTo("93.184.216.34", "10.0.0.1"))).toBe(PRIVATE);
    expect(await reason("https://x.example/", "private", resolvesTo("10.0.0.1", "127.0.0.1"))).toBe(LOOPBACK);
  });
  it("connects to the first address of an allowed name", async () => {
    const r = await resolveAllowedUrl("https://llm.example.com/v1", "public", resolvesTo("93.184.216.34", "2606:2800::1"));
    expect(r).toMatchObject({ address: "93.184.216.34", family: 4 });
    expect(r.url.hostname).toBe("llm.example.com");
  });
  it("reports unresolvable hosts", async () => {
    const failing: LookupFn = async () => {
      throw Object.assign(new Error("getaddrinfo ENOTFOUND"), { code: "ENOTFOUND" });
    };
    expect(await reason("https://nope.invalid/v1", "any", failing)).toBe("Base URL host could not be resolved");
    expect(await reason("https://empty.example/v1", "any", resolvesTo())).toBe("Base URL host could not be resolved");
  });
  it("uses real DNS by default for localhost", async () => {
    await expect(resolveAllowedUrl("http://localhost:1234/v1", "private")).rejects.toThrow(LOOPBACK);
    const ok = await resolveAllowedUrl("http://localhost:1234/v1", "any");
    expect(classifyAddress(ok.address)).toBe("loopback");
  });
});

describe("resolveAllowedUrl - shape", () => {
  it.each([
    ["ftp://example.com/v1", "Base URL must use http or https"],
    ["file:///etc/passwd", "Base URL must use http or https"],
    ["gopher://127.0.0.1:6379/_INFO", "Base URL must use http or https"],
    ["javascript:alert(1)", "Base URL must use http or https"],
    ["http://user:pass@example.com/v1", "Base URL must not contain credentials"],
    ["http://user@example.com/v1", "Base URL must not contain credentials"],
    ["not a url", "Base URL must not contain spaces or control characters"],
    ["example.com/v1", "Base URL is not a valid URL"],
    ["http://exa\nmple.com/v1", "Base URL must not contain spaces or control characters"],
    ["http://example.com/v1?x=1", "Base URL must not contain a query string or fragment"],
    ["http://example.com/v1#frag", "Base URL must not contain a query string or fragment"],
  ])("%s", async (raw, expected) => {
    expect(await reason(raw, "any", resolvesTo("93.184.216.34"))).toBe(expected);
  });
  it("limits the length to 2048 characters", async () => {
    const base = "https://example.com/";
    expect(await reason(base + "a".repeat(2048 - base.length), "any", resolvesTo("93.184.216.34"))).toBe("allowed");
    expect(await reason(base + "a".repeat(2049 - base.length), "any", resolvesTo("93.184.216.34"))).toBe(
      "Base URL must be at most 2048 characters",
    );
  });
});
