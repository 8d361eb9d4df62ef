// SSRF (contract section 8) under the default policy (`private`): custom base URLs that point at
// metadata or link-local addresses in every notation, at loopback or this machine, or at names that
// resolve there, are refused before any connection (save and PATCH: 400 bad_base_url; test: 200 with
// error_code bad_base_url) — a listener on every local address sees nothing. Redirects from an
// allowed endpoint are never followed, wherever they point. A stored custom key never follows its
// endpoint to another origin unless the key is sent again.
import { promises as dns } from "node:dns";
import { hostname, networkInterfaces } from "node:os";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { KEYS, TEST } from "../support/api";
import { createKeyring } from "../../lib/crypto/keyring";
import { addressRefusal } from "../../lib/net/url-policy";
import { withSql } from "../support/db";
import { previewOf, providerKey } from "../support/keys";
import { secAdmin } from "./support/context";
import { Findings, pool } from "./support/fuzz";
import { keysOf } from "./support/key-pool";
import { hostForUrl, type LanServer, redirectBase, startLanServer, startTrap, type Trap } from "./support/listeners";
import { type SecClient, secSignedIn } from "./support/sec-client";

const LABEL = "ssrf";
let admin: SecClient;
let trap: Trap;
let lan: LanServer | undefined;
let lanTarget: LanServer | undefined;
let customId = "";

const METADATA = [
  "http://169.254.169.254/latest/meta-data/", "http://2852039166/", "http://0251.0376.0251.0376/", "http://0xa9fea9fe/",
  "http://0xA9.0xFE.0xA9.0xFE/", "http://169.254.43518/", "http://169.16689662/", "http://0251.254.169.254/", "http://169.254.169.254./",
  "http://[::ffff:169.254.169.254]/", "http://[::ffff:a9fe:a9fe]/", "http://[0:0:0:0:0:ffff:a9fe:a9fe]/", "http://[::169.254.169.254]/",
  "http://[64:ff9b::a9fe:a9fe]/", "http://[2002:a9fe:a9fe::1]/", "http://[fe80::1]/", "http://[fe80::1%25eth0]/", "http://[FE80::a9fe:a9fe]/",
  "http://[fd00:ec2::254]/", "http://100.100.100.200/", "http://168.63.129.16/", "http://169.254.170.2/v2/credentials",
  "https://169.254.169.254/", "http://\uff11\uff16\uff19.\uff12\uff15\uff14.\uff11\uff16\uff19.\uff12\uff15\uff14/", "http://[::ffff:169.254.169.254]:80/latest",
];

/** Loopback and this machine in every notation, plus local names that resolve there, all on the trap's port. */
async function localUrls(port: number): Promise<string[]> {
  const literal = [
    "127.0.0.1", "127.1", "2130706433", "0x7f000001", "0177.0.0.1", "0x7f.0.0.1", "127.255.255.254", "[::1]", "[0:0:0:0:0:0:0:1]",
    "[::ffff:127.0.0.1]", "[::ffff:7f00:1]", "[::127.0.0.1]", "[64:ff9b::7f00:1]", "0.0.0.0", "0", "[::]", "\uff11\uff12\uff17.\uff10.\uff10.\uff11",
  ];
  const names = ["localhost", "LOCALHOST", "localhost.", "ip6-localhost", "ip6-loopback", hostname()];
  const resolving: string[] = [];
  for (const n of names) {
    const found = await dns.lookup(n, { all: true }).catch(() => []);
    if (found.length) resolving.push(n);
  }
  // this machine's own addresses that the policy refuses (here a documentation-range address)
  const own = Object.values(networkInterfaces())
    .flatMap((l) => l ?? [])
    .filter((a) => !a.internal && !a.address.startsWith("fe80") && addressRefusal(a.address, "private") !== null)
    .map((a) => hostForUrl(a.address));
  const hosts = [...literal, ...resolving, ...own];
  return hosts.flatMap((h) => [`http://${h}:${port}`, `https://${h}:${port}/v1`]);
}

afterAll(async () => {
  await trap?.close();
  await lan?.close();
  await lanTarget?.close();
});

describe("SSRF: refused base URLs", () => {
  beforeAll(async () => {
    admin = await secSignedIn(LABEL, secAdmin("ssrf"));
    trap = await startTrap();
    const lanHost = inject("lanHost");
    if (lanHost) {
      lan = await startLanServer(lanHost);
      lanTarget = await startLanServer(lanHost);
      const saved = await admin.post(KEYS, { provider_type: "custom", name: "ssrf-target", api_key: keysOf("custom")[0], config: { base_url: `${lan.url}/v1` } });
      expect(saved.status, saved.text).toBe(201);
      customId = saved.body.provider_id;
    }
  });

  it("refuses metadata, link-local, loopback and local-name URLs on save, test and PATCH before connecting", async () => {
    const urls = [...METADATA, ...(await localUrls(trap.port))];
    const key = keysOf("custom")[1]!;
    const rowBefore = customId ? await withSql((sql) => sql`select * from provider_keys where id = ${customId}`) : [];
    const lanBefore = lan?.paths.length ?? 0;
    const f = new Findings();
    await pool(urls, async (url, i) => {
      const save = await admin.post(KEYS, { provider_type: "custom", name: `ssrf-${i}`, api_key: key, config: { base_url: url } });
      f.check("POST /keys", { method: "POST", path: KEYS, body: url }, save, (r) => (r.status === 400 && r.body.code === "bad_base_url" ? null : "expected 400 bad_base_url"));
      const test = await admin.post(TEST, { provider_type: "custom", api_key: key, config: { base_url: url } });
      f.check("POST /keys/test", { method: "POST", path: TEST, body: url }, test, (r) =>
        r.status === 200 && r.body.success === false && r.body.error_code === "bad_base_url" && r.body.latency_ms === null ? null : "expected 200 error_code bad_base_url",
      );
      if (customId) {
        const patch = await admin.patch(`${KEYS}/${customId}`, { config: { base_url: url } });
        f.check("PATCH /keys/{id}", { method: "PATCH", path: `${KEYS}/${customId}`, body: url }, patch, (r) =>
          r.status === 400 && r.body.code === "bad_base_url" ? null : "expected 400 bad_base_url",
        );
      }
    });
    console.log(`SSRF: ${urls.length} refused base URLs, ${f.cases} requests`);
    f.assertClean();
    expect(trap.hits, "a refused base URL was connected to").toEqual([]);
    expect(lan?.paths.length ?? 0).toBe(lanBefore);
    const created = await withSql((sql) => sql`select name from provider_keys where name like 'ssrf-%' and name <> 'ssrf-target'`);
    expect(created).toEqual([]);
    if (customId) expect(await withSql((sql) => sql`select * from provider_keys where id = ${customId}`)).toEqual(rowBefore);
  });

  it("uses an allowed private address (the control: the same requests do connect there)", async (ctx) => {
    ctx.skip(!lan, "no non-loopback private address on this machine");
    const res = await admin.post(TEST, { provider_type: "custom", api_key: keysOf("custom")[1], config: { base_url: `${lan!.url}/v1` } });
    expect(res.body, res.text).toMatchObject({ success: true, models_found: 2 });
    expect(lan!.paths).toContain("/v1/models");
  });
});

describe("SSRF: redirects are not followed", () => {
  it("reports a redirect as a failed test and never contacts its target (metadata, loopback, or an allowed address)", async (ctx) => {
    ctx.skip(!lan || !lanTarget, "no non-loopback private address on this machine to serve the redirect from");
    const targets = [
      "http://169.254.169.254/latest/meta-data/iam/security-credentials/",
      `http://127.0.0.1:${trap.port}/v1/models`,
      `http://[::1]:${trap.port}/`,
      `http://localhost:${trap.port}/models`,
      `${lanTarget!.url}/v1/models`,
      "/v1/models",
      `http://${hostForUrl(inject("lanHost"))}:${trap.port}/v1/models`,
    ];
    const key = keysOf("custom")[2]!;
    const seen = lan!.paths.length;
    const f = new Findings();
    for (const status of [301, 302, 303, 307, 308]) {
      for (const target of targets) {
        const baseUrl = redirectBase(lan!.url, status, target);
        const res = await admin.post(TEST, { provider_type: "custom", api_key: key, config: { base_url: baseUrl } });
        f.check("POST /keys/test", { method: "POST", path: TEST, body: `${status} -> ${target}` }, res, (r) =>
          r.status === 200 && r.body.success === false && r.body.error_code === "provider_error" && r.body.status_code === status ? null : "expected a failed test (provider_error, the redirect's status)",
        );
        const kept = await admin.post(KEYS, { provider_type: "custom", name: `redirect-${status}`, api_key: key, config: { base_url: baseUrl }, require_valid: true });
        f.check("POST /keys", { method: "POST", path: KEYS, body: `${status} -> ${target}` }, kept, (r) => (r.status === 400 && r.body.code === "key_test_failed" ? null : "expected 400 key_test_failed"));
      }
    }
    console.log(`SSRF: ${f.cases} requests through redirecting endpoints`);
    f.assertClean();
    expect(trap.hits, "a redirect was followed to a local address").toEqual([]);
    expect(lanTarget!.paths, "a redirect was followed to an allowed address").toEqual([]);
    const asked = lan!.paths.slice(seen);
    expect(asked.length).toBe(70);
    expect(asked.filter((p) => !p.startsWith("/r/")), "a relative redirect was followed").toEqual([]);
    expect(await withSql((sql) => sql`select name from provider_keys where name like 'redirect-%'`)).toEqual([]);
  });
});

describe("SSRF: where a stored key may go", () => {
  it("never sends a stored custom key to a base URL supplied with the test (only to the row's own)", async (ctx) => {
    ctx.skip(!lan || !lanTarget, "no non-loopback private address on this machine");
    const stored = keysOf("custom")[0]!; // saved for "ssrf-target" in beforeAll
    const before = await withSql((sql) => sql`select health_status, last_tested, last_test from provider_keys where id = ${customId}`);
    const res = await admin.post(TEST, { provider_type: "custom", id: customId, config: { base_url: `${lanTarget!.url}/v1` } });
    // Contract section 3: config.base_url is "to test an unsaved custom key"; a stored key is tested
    // where it is stored. Sending it elsewhere hands the secret to any endpoint an admin session names.
    expect(lanTarget!.bearers.includes(stored), "the stored key was sent to a URL given in the test request").toBe(false);
    expect(res.status === 400 || res.body?.success !== undefined).toBe(true);
    const after = await withSql((sql) => sql`select health_status, last_tested, last_test from provider_keys where id = ${customId}`);
    expect(after, "the row's health was recorded from a test against another URL").toEqual(before);
  });

  it("never lets a stored key follow its endpoint to another origin (PATCH) unless the key is sent again; audits both origins", async (ctx) => {
    ctx.skip(!lan || !lanTarget, "no non-loopback private address on this machine");
    // Another port on the same address is another origin: lanTarget stands for the attacker's listener.
    const stored = providerKey("custom");
    const replacement = providerKey("custom");
    const saved = await admin.post(KEYS, { provider_type: "custom", name: "moving-target", api_key: stored, config: { base_url: `${lan!.url}/v1` } });
    expect(saved.status, saved.text).toBe(201);
    const id = saved.body.provider_id as string;
    const path = `${KEYS}/${id}`;
    const rowNow = () => withSql((sql) => sql`select name, config, encrypted_key, key_fingerprint from provider_keys where id = ${id}`);
    const before = await rowNow();
    const away = `${lanTarget!.url}/v1`;

    for (const body of [
      { config: { base_url: away } },
      { config: { base_url: away }, api_key: null },
      { config: { base_url: away }, api_key: "" },
      { config: { base_url: away }, name: "moving-target renamed" },
      { config: { base_url: away.replace("http://", "HTTP://") + "/" } },
    ]) {
      const res = await admin.patch(path, body);
      expect(res.status, `${JSON.stringify(body)}: ${res.text}`).toBe(400);
      expect(res.body.code).toBe("key_required_for_new_base_url");
      expect(res.body.detail).toContain(`to ${lanTarget!.url}`);
      expect(res.body.detail).toMatch(/^api_key: required/);
    }
    expect(await rowNow(), "a refused move changed the row").toEqual(before);
    // the next test of the stored key still goes to its own endpoint, never to the listener
    const tested = await admin.post(TEST, { provider_type: "custom", id });
    expect(tested.body, tested.text).toMatchObject({ success: true, models_found: 2 });
    expect(lan!.bearers).toContain(stored);
    expect(lanTarget!.bearers, "the stored key reached the new base URL's host").not.toContain(stored);

    // a key on PATCH only comes with a move
    const keyOnly = await admin.patch(path, { api_key: replacement });
    expect(keyOnly.status, keyOnly.text).toBe(400);
    expect(keyOnly.body.code).toBe("invalid_request");

    // a new path on the same origin keeps the key: that server already receives it
    const samePlace = await admin.patch(path, { config: { base_url: `${lan!.url}/lab/v1` } });
    expect(samePlace.status, samePlace.text).toBe(200);
    expect(samePlace.body).toMatchObject({ key_preview: previewOf(stored), config: { base_url: `${lan!.url}/lab/v1` } });

    // with the key sent again, the move is allowed: the new key goes there, the old one never does
    const moved = await admin.patch(path, { config: { base_url: away }, api_key: replacement });
    expect(moved.status, moved.text).toBe(200);
    expect(moved.body).toMatchObject({ key_preview: previewOf(replacement), config: { base_url: away }, health_status: "unknown" });
    const retested = await admin.post(TEST, { provider_type: "custom", id });
    expect(retested.body, retested.text).toMatchObject({ success: true });
    expect(lanTarget!.bearers).toContain(replacement);
    expect(lanTarget!.bearers, "the old key reached the new host").not.toContain(stored);

    const ring = createKeyring([inject("encryptionKey")]);
    const audits = await withSql(
      (sql) => sql`select key_fingerprint, detail from audit_events where action = 'provider_key.patch' and target = ${id} order by id`,
    );
    expect(audits.map((a) => a.detail)).toEqual([
      expect.objectContaining({ changed: ["config"], old_origin: lan!.url, new_origin: lan!.url }),
      expect.objectContaining({
        changed: ["config", "api_key"],
        old_origin: lan!.url,
        new_origin: lanTarget!.url,
        key_replaced: true,
        replaced_key_fingerprint: ring.fingerprint(stored),
      }),
    ]);
    expect(audits[1]!.key_fingerprint).toBe(ring.fingerprint(replacement));
  });
});
