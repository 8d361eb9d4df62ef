import { createHash, createHmac, hkdfSync } from "node:crypto";
import { describe, expect, it } from "vitest";
import { fernetDecrypt, fernetEncrypt, generateFernetKey, InvalidToken } from "./fernet";
import { createKeyring, keyIdOf } from "./keyring";

describe("keyring", () => {
  const oldKey = generateFernetKey();
  const newKey = generateFernetKey();

  it("requires at least one key and rejects malformed keys", () => {
    expect(() => createKeyring([])).toThrow();
    expect(() => createKeyring(["nope"])).toThrow("BYOK encryption key must be 32 bytes of url-safe base64");
  });

  it("decrypts a token from the old key after rotation to [new, old]", () => {
    const before = createKeyring([oldKey]);
    const { token, keyId } = before.encrypt("sk-old-secret");
    expect(keyId).toBe(keyIdOf(oldKey));

    const after = createKeyring([newKey, oldKey]);
    expect(after.decrypt(token, keyId)).toBe("sk-old-secret");
    expect(after.decrypt(token)).toBe("sk-old-secret");
    expect(() => createKeyring([newKey]).decrypt(token, keyId)).toThrow(InvalidToken);
  });

  it("encrypts under the primary key and records its id", () => {
    const ring = createKeyring([newKey, oldKey]);
    expect(ring.primaryKeyId).toBe(keyIdOf(newKey));
    expect(ring.keyIds).toEqual([keyIdOf(newKey), keyIdOf(oldKey)]);
    const { token, keyId } = ring.encrypt("héllo 🔑");
    expect(keyId).toBe(ring.primaryKeyId);
    expect(fernetDecrypt(newKey, token).toString("utf8")).toBe("héllo 🔑");
    expect(() => fernetDecrypt(oldKey, token)).toThrow(InvalidToken);
  });

  it("dedupes keys, including padded and unpadded spellings of the same key", () => {
    const ring = createKeyring([newKey, oldKey, newKey.replace(/=$/, ""), oldKey]);
    expect(ring.keyIds).toEqual([keyIdOf(newKey), keyIdOf(oldKey)]);
  });

  it("tries every key when the key id is unknown, wrong, or missing", () => {
    const ring = createKeyring([newKey, oldKey]);
    const token = fernetEncrypt(oldKey, "x");
    expect(ring.decrypt(token, "000000000000")).toBe("x");
    expect(ring.decrypt(token, ring.primaryKeyId)).toBe("x"); // known but incorrect id
    expect(ring.decrypt(token, null)).toBe("x");
    expect(ring.decrypt(token, "")).toBe("x");
  });

  it("throws InvalidToken when no key works", () => {
    const ring = createKeyring([newKey, oldKey]);
    const foreign = fernetEncrypt(generateFernetKey(), "x");
    expect(() => ring.decrypt(foreign)).toThrow(InvalidToken);
    expect(() => ring.decrypt("garbage", ring.primaryKeyId)).toThrow(InvalidToken);
  });

  it("has no TTL on stored secrets", () => {
    const ring = createKeyring([newKey]);
    expect(ring.decrypt(fernetEncrypt(newKey, "ancient", { now: 1 }))).toBe("ancient");
  });

  it("reports which key ids it holds", () => {
    const ring = createKeyring([newKey, oldKey]);
    expect(ring.hasKey(keyIdOf(oldKey))).toBe(true);
    expect(ring.hasKey(keyIdOf(generateFernetKey()))).toBe(false);
  });

  it("fingerprints deterministically per primary key, without revealing the plaintext", () => {
    const ring = createKeyring([newKey, oldKey]);
    const fp = ring.fingerprint("sk-abc123");
    expect(fp).toMatch(/^fp_[0-9a-f]{32}$/);
    expect(createKeyring([newKey]).fingerprint("sk-abc123")).toBe(fp); // only the primary matters
    expect(ring.fingerprint("sk-abc124")).not.toBe(fp);
    expect(createKeyring([oldKey, newKey]).fingerprint("sk-abc123")).not.toBe(fp);
    expect(fp).not.toContain("abc123");
    expect(ring.fingerprint("")).toMatch(/^fp_[0-9a-f]{32}$/);
  });

  it("matches the documented fingerprint and key id derivations", () => {
    const raw = Buffer.from(newKey, "base64url");
    const fpKey = Buffer.from(hkdfSync("sha256", raw, Buffer.alloc(0), "llmhub-fingerprint-v1", 32));
    const expectedFp = "fp_" + createHmac("sha256", fpKey).update("p").digest("hex").slice(0, 32);
    expect(createKeyring([newKey]).fingerprint("p")).toBe(expectedFp);
    const expectedId = createHash("sha256").update(Buffer.concat([Buffer.from("llmhub-key-id:"), raw])).digest("hex");
    expect(keyIdOf(newKey)).toBe(expectedId.slice(0, 12));
  });

  it("key ids are short, stable and reveal nothing about the key", () => {
    const id = keyIdOf(newKey);
    expect(id).toMatch(/^[0-9a-f]{12}$/);
    expect(keyIdOf(newKey)).toBe(id);
    expect(keyIdOf(newKey.replace(/=$/, ""))).toBe(id);
    expect(keyIdOf(oldKey)).not.toBe(id);
    const raw = Buffer.from(newKey, "base64url");
    expect(raw.toString("hex").startsWith(id)).toBe(false);
    expect(newKey.startsWith(id)).toBe(false);
    expect(newKey).not.toContain(id);
    // Not a plain hash of the key either: the id is domain-separated.
    expect(createHash("sha256").update(raw).digest("hex").startsWith(id)).toBe(false);
  });
});
