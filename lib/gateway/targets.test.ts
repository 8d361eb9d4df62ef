import { describe, expect, it } from "vitest";
import { parseGatewayModel } from "@/lib/providers/model-route";
import { createKeyring } from "@/lib/crypto/keyring";
import { generateFernetKey } from "@/lib/crypto/fernet";
import type { ProviderKey } from "@/lib/db/schema";
import { REDACTED } from "./redact";
import { customRoute, storedKeyOf } from "./targets";

describe("customRoute", () => {
  it.each([
    ["Local vLLM", "local-vllm"],
    ["My  vLLM // box!", "my-vllm-box"],
    ["--Edge_Node.2--", "edge_node.2"],
    ["Ünïcode Box", "n-code-box"],
    ["x".repeat(80), "x".repeat(64)],
  ])("%j -> %j", (name, route) => {
    expect(customRoute(name)).toBe(route);
  });

  it("makes routes that gateway model names can carry", () => {
    for (const name of ["Local vLLM", "a", "Team A's GPU box", "0-day"]) {
      const route = customRoute(name);
      expect(parseGatewayModel(`${route}/some/model`)).toEqual({ route, model: "some/model" });
    }
  });
});

describe("storedKeyOf", () => {
  it("decrypts a row's key once per row object, and a new row (a replaced key) again, each with its redactor", () => {
    const keyring = createKeyring([generateFernetKey()]);
    let decrypts = 0;
    const counting = { decrypt: (token: string, id?: string | null) => (decrypts++, keyring.decrypt(token, id)) };
    const rowFor = (plaintext: string) => {
      const { token, keyId } = keyring.encrypt(plaintext);
      return { id: "p1", encryptedKey: token, encryptionKeyId: keyId } as ProviderKey;
    };
    const row = rowFor("sk-proj-first");
    const first = storedKeyOf(row, counting);
    expect([first.key, storedKeyOf(row, counting).key, storedKeyOf(row, counting).key]).toEqual(["sk-proj-first", "sk-proj-first", "sk-proj-first"]);
    expect(decrypts).toBe(1);
    expect(storedKeyOf(row, counting).redactor).toBe(first.redactor); // its forms built once
    expect(first.redactor.redactString('{"error":"bad key sk-proj-first"}')).toBe(`{"error":"bad key ${REDACTED}"}`);
    // the key saved again: a new row object, read under the new configuration token
    const second = storedKeyOf(rowFor("sk-proj-second"), counting);
    expect(second.key).toBe("sk-proj-second");
    expect(decrypts).toBe(2);
    expect(second.redactor.redactString("sk-proj-second and sk-proj-first")).toBe(`${REDACTED} and sk-proj-first`);
    // nothing of the key on the row itself: a logged row shows none
    expect(JSON.stringify(row)).not.toContain("sk-proj-first");
  });

  it("a row that cannot be decrypted throws each time (nothing cached)", () => {
    const row = { id: "p2", encryptedKey: createKeyring([generateFernetKey()]).encrypt("sk-x").token, encryptionKeyId: null } as ProviderKey;
    const other = createKeyring([generateFernetKey()]);
    expect(() => storedKeyOf(row, other)).toThrow();
    expect(() => storedKeyOf(row, other)).toThrow();
  });
});
