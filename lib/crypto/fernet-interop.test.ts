import { execFileSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { fernetDecrypt, fernetEncrypt, generateFernetKey } from "./fernet";

// The system interpreter, not the pyenv one first on PATH, which lacks the module.
const PYTHON = "/usr/bin/python3";

// Requests arrive as JSON on stdin (no shell, no argv quoting issues with unicode or large inputs).
const SCRIPT = `
import json, sys
from cryptography.fernet import Fernet
req = json.load(sys.stdin)
op = req["op"]
if op == "decrypt":
    f = Fernet(req["key"].encode())
    out = [f.decrypt(t.encode()).decode("utf-8") for t in req["tokens"]]
elif op == "encrypt":
    f = Fernet(req["key"].encode())
    out = [f.encrypt(p.encode("utf-8")).decode() for p in req["plaintexts"]]
elif op == "generate":
    key = Fernet.generate_key()
    f = Fernet(key)
    out = {"key": key.decode(), "tokens": [f.encrypt(p.encode("utf-8")).decode() for p in req["plaintexts"]]}
json.dump(out, sys.stdout)
`;

let pythonChecked = false;
function python<T>(request: object): T {
  if (!pythonChecked) {
    try {
      execFileSync(PYTHON, ["-c", "import cryptography.fernet"], { stdio: "pipe" });
    } catch {
      throw new Error(
        `${PYTHON} cannot import cryptography.fernet; install it with: apt-get install -y python3-cryptography`,
      );
    }
    pythonChecked = true;
  }
  return JSON.parse(execFileSync(PYTHON, ["-c", SCRIPT], { input: JSON.stringify(request), encoding: "utf8" })) as T;
}

const PLAINTEXTS = ["hello", "", "héllo wörld — 日本語 🔑 \u0000 end", "k".repeat(4096), "é".repeat(2048)];

describe("interop with Python cryptography.fernet", () => {
  it("tokens made by ours decrypt in Python", () => {
    const key = generateFernetKey();
    const tokens = PLAINTEXTS.map((p) => fernetEncrypt(key, p));
    expect(python<string[]>({ op: "decrypt", key, tokens })).toEqual(PLAINTEXTS);
  });

  it("tokens made by Python decrypt in ours", () => {
    const key = generateFernetKey();
    const tokens = python<string[]>({ op: "encrypt", key, plaintexts: PLAINTEXTS });
    expect(tokens.map((t) => fernetDecrypt(key, t, { ttl: 600 }).toString("utf8"))).toEqual(PLAINTEXTS);
  });

  it("a key from Fernet.generate_key() works in ours, both ways", () => {
    const { key, tokens } = python<{ key: string; tokens: string[] }>({ op: "generate", plaintexts: PLAINTEXTS });
    expect(key).toMatch(/^[A-Za-z0-9_-]{43}=$/);
    expect(tokens.map((t) => fernetDecrypt(key, t).toString("utf8"))).toEqual(PLAINTEXTS);
    const ours = PLAINTEXTS.map((p) => fernetEncrypt(key, p));
    expect(python<string[]>({ op: "decrypt", key, tokens: ours })).toEqual(PLAINTEXTS);
  });
});
