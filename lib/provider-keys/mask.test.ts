import { describe, expect, it } from "vitest";
import { maskKey } from "./mask";

describe("maskKey", () => {
  it("shows the first 7 and last 4 characters of a long key", () => {
    expect(maskKey(`sk-or-v1-${"a".repeat(60)}1234`)).toBe("sk-or-v...1234");
  });
  it("hides a key of 20 characters or fewer completely", () => {
    expect(maskKey("abcdefghij0123456789")).toBe("***");
    expect(maskKey("short-key-1")).toBe("***");
  });
  it("shows a 21-character key's ends only", () => {
    const key = "ABCDEFG0123456789WXYZ";
    expect(maskKey(key)).toBe("ABCDEFG...WXYZ");
    expect(maskKey(key)).not.toContain("0123456789");
  });
});
