import { describe, expect, it } from "vitest";
import { leavesOrigin, originOf } from "./endpoint-origin";

describe("originOf", () => {
  it("is scheme, host and port, with the parser's normalisation", () => {
    expect(originOf("http://10.0.0.5:8000/v1")).toBe("http://10.0.0.5:8000");
    expect(originOf("  HTTPS://LLM.Example.com:443/v1?x=1#y ")).toBe("https://llm.example.com");
    expect(originOf("http://0x7f.1/v1")).toBe("http://127.0.0.1");
    expect(originOf("http://[FD00::2]:9/v1")).toBe("http://[fd00::2]:9");
    expect(originOf("http://user:pw@host.example/v1")).toBe("http://host.example");
  });
  it("is null for anything that is not an http(s) URL", () => {
    for (const u of [null, undefined, "", "not a url", "/v1", "ftp://host.example/", "file:///etc/passwd", "javascript:alert(1)"]) expect(originOf(u)).toBeNull();
  });
});

describe("leavesOrigin", () => {
  it("is false for a new path, query or spelling on the same origin", () => {
    expect(leavesOrigin("http://10.0.0.5:8000/v1", "http://10.0.0.5:8000/openai/v1")).toBe(false);
    expect(leavesOrigin("https://llm.example.com/v1", "https://LLM.example.com:443/v2?q")).toBe(false);
  });
  it("is true for another host, port or scheme", () => {
    expect(leavesOrigin("http://10.0.0.5:8000/v1", "http://10.0.0.6:8000/v1")).toBe(true);
    expect(leavesOrigin("http://10.0.0.5:8000/v1", "http://10.0.0.5:8001/v1")).toBe(true);
    expect(leavesOrigin("https://llm.example.com/v1", "http://llm.example.com/v1")).toBe(true);
    expect(leavesOrigin("https://llm.example.com/v1", "https://llm.example.com.evil.example/v1")).toBe(true);
    expect(leavesOrigin("https://llm.example.com/v1", "https://llm.example.com./v1")).toBe(true);
  });
  it("is true when either URL does not parse (an unreadable old URL never lets a key move)", () => {
    expect(leavesOrigin(null, "http://10.0.0.5/v1")).toBe(true);
    expect(leavesOrigin("garbage", "http://10.0.0.5/v1")).toBe(true);
    expect(leavesOrigin("http://10.0.0.5/v1", "garbage")).toBe(true);
  });
});
