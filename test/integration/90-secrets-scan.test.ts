// Contract section 9: a plaintext key is never stored, logged or returned. After the other files
// have run: no recorded key and no marker in any table or in the server log. (The global teardown
// repeats the scan on the complete log and the final database.)
import { beforeAll, describe, expect, inject, it } from "vitest";
import { clearStoredKey, saveKey } from "../support/api";
import { signedIn } from "../support/client";
import { isServices, users } from "../support/context";
import { findLeak, MARKER, providerKey, recordedProviderKeys } from "../support/keys";
import { dumpDatabase, readTree } from "../support/secrets-scan";
import { serverLog, waitForLogLine } from "../support/server-log";

describe("secrets scan", () => {
  beforeAll(async () => {
    // make sure there is at least one stored key and one "added new" line to look at, whatever ran before
    const c = await signedIn(users().bootstrap);
    await clearStoredKey(c, "openrouter");
    const res = await saveKey(c, { provider_type: "openrouter", api_key: providerKey("openrouter") });
    expect([200, 201], res.text).toContain(res.status);
  });

  it("the suite used keys, and every one carries the marker in a part no preview shows", () => {
    // provider keys (webhook signing secrets, hub keys and passwords are scanned for too, but carry no marker)
    const keys = recordedProviderKeys().filter((k) => k.length > 20);
    expect(keys.length).toBeGreaterThanOrEqual(2); // at least the env key and the one saved above
    expect(findLeak(`... ${keys[keys.length - 1]} ...`, keys)).not.toBeNull(); // the scanner does find a key
    for (const k of keys) {
      const at = k.indexOf(MARKER);
      expect(at, k.slice(0, 7)).toBeGreaterThanOrEqual(7);
      expect(at + MARKER.length, k.slice(0, 7)).toBeLessThanOrEqual(k.length - 4);
    }
  });

  it("no table of the database holds a plaintext key", async (ctx) => {
    ctx.skip(!isServices(), "zero-setup mode: see the PGlite file scan below");
    const dump = await dumpDatabase(inject("databaseUrl"));
    expect(dump.tables).toEqual(expect.arrayContaining(["public.provider_keys", "public.audit_events", "public.users", "public.sessions"]));
    expect(dump.text).toMatch(/gAAAAA[A-Za-z0-9_-]{50,}/); // stored keys are there, as Fernet tokens
    expect(findLeak(dump.text)).toBeNull();
  });

  it("no file of the embedded database holds a plaintext key (raw byte scan of DATA_DIR)", (ctx) => {
    ctx.skip(isServices(), "services mode: the Postgres data directory is not ours to read; the table dump covers it");
    const tree = readTree(inject("dataDir"));
    expect(tree.files).toBeGreaterThan(0);
    expect(findLeak(tree.text)).toBeNull();
  });

  it("the server log holds no plaintext key, and keeps the old-style audit lines", async () => {
    const line = await waitForLogLine(/Admin \S+@\S+ added new provider key: OpenRouter/);
    expect(line, "no 'Admin <email> added new provider key: OpenRouter' line in the server log").not.toBeNull();
    const log = serverLog();
    expect(log.length).toBeGreaterThan(0);
    expect(findLeak(log)).toBeNull();
    expect(log).not.toMatch(/sk-or-v1-[0-9a-f]{12}/); // not even a long prefix of a key
  });
});
