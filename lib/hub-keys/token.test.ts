import { describe, expect, it } from "vitest";
import { generateHubKey, hashHubKey, hubKeyPreview, isHubKeyShape, randomBase62, readPresentedKey } from "./token";

describe("hub key format", () => {
  it("is llmhub_ + 40 base62 characters, different every time", () => {
    const keys = new Set(Array.from({ length: 200 }, generateHubKey));
    expect(keys.size).toBe(200);
    for (const k of keys) {
      expect(k).toMatch(/^llmhub_[0-9A-Za-z]{40}$/);
      expect(isHubKeyShape(k)).toBe(true);
    }
    // 40 × log2(62) bits of randomness, at least the 230 the contract asks for
    expect(40 * Math.log2(62)).toBeGreaterThanOrEqual(230);
  });

  it("draws every character uniformly: bytes from 248 up are rejected, not folded onto the alphabet", () => {
    // A byte source that cycles through all 256 values: 248 of them are used, each alphabet
    // character exactly 4 times per cycle; with `b % 62` on all 256, '0'..'3' would come 5 times.
    let next = 0;
    const cycling = (n: number) => Uint8Array.from({ length: n }, () => next++ % 256);
    const s = randomBase62(248 * 10, cycling);
    const counts = new Map<string, number>();
    for (const c of s) counts.set(c, (counts.get(c) ?? 0) + 1);
    expect(counts.size).toBe(62);
    expect(new Set(counts.values())).toEqual(new Set([40]));
  });

  it("keeps drawing when a whole draw is rejected", () => {
    let calls = 0;
    const mostlyRejected = (n: number) => Uint8Array.from({ length: n }, (_, i) => (calls++ < 3 || i % 2 ? 255 : 61));
    expect(randomBase62(5, mostlyRejected)).toBe("zzzzz");
  });

  it("shape check refuses near misses", () => {
    const k = generateHubKey();
    for (const bad of [k.slice(0, -1), `${k}a`, k.replace("llmhub_", "LLMHUB_"), `${k.slice(0, -1)}-`, ` ${k}`, "", "llmhub_"]) {
      expect(isHubKeyShape(bad)).toBe(false);
    }
  });

  it("is stored as the hex SHA-256 of the whole key", () => {
    expect(hashHubKey("abc")).toBe("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"); // FIPS 180-2 vector
    const k = generateHubKey();
    expect(hashHubKey(k)).toMatch(/^[0-9a-f]{64}$/);
    expect(hashHubKey(k)).not.toContain(k.slice(7));
  });

  it("is listed as prefix, first 3 and last 4 random characters", () => {
    expect(hubKeyPreview("llmhub_Ab3defghijklmnopqrstuvwxyz0123456789wxyz")).toBe("llmhub_Ab3…wxyz");
    for (let i = 0; i < 50; i++) {
      const k = generateHubKey();
      expect(hubKeyPreview(k)).toBe(`${k.slice(0, 10)}…${k.slice(-4)}`);
    }
  });
});

describe("reading the presented key", () => {
  const key = "llmhub_0123456789abcdefghijABCDEFGHIJ0123456789";
  const read = (h: Record<string, string>) => readPresentedKey(new Headers(h));

  it("takes each SDK's header", () => {
    const each: Record<string, string>[] = [{ authorization: `Bearer ${key}` }, { authorization: `bearer  ${key} ` }, { "x-api-key": key }, { "x-goog-api-key": key }, { "api-key": key }];
    for (const h of each) {
      expect(read(h)).toEqual({ ok: true, key });
    }
  });

  it("accepts the same key sent twice, refuses two different ones without naming either", () => {
    expect(read({ authorization: `Bearer ${key}`, "x-api-key": key })).toEqual({ ok: true, key });
    const other = `${key.slice(0, -1)}X`;
    const r = read({ authorization: `Bearer ${key}`, "x-goog-api-key": other });
    expect(r).toMatchObject({ ok: false, reason: "conflicting" });
    expect(JSON.stringify(r)).not.toContain(key.slice(7));
    expect(JSON.stringify(r)).not.toContain(other.slice(7));
  });

  it("missing and malformed", () => {
    expect(read({})).toMatchObject({ ok: false, reason: "missing" });
    expect(read({ authorization: "  " })).toMatchObject({ ok: false, reason: "missing" });
    const basic = read({ authorization: `Basic ${key}` });
    expect(basic).toMatchObject({ ok: false, reason: "malformed" });
    expect(JSON.stringify(basic)).not.toContain(key.slice(7));
    expect(read({ authorization: "Bearer" })).toMatchObject({ ok: false, reason: "malformed" });
  });
});
