// Request bodies: every route reads its body through one reader that counts bytes as they stream,
// so a chunked body (no Content-Length to refuse up front) is cut off at the 64 KiB limit with a
// 413, the connection is closed rather than drained, and the server's memory does not follow the
// body's size. The app's resident memory is read from /proc/<pid>/status.
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, inject, it } from "vitest";
import { secAdmin } from "./support/context";
import { snapshot } from "./support/fuzz";
import { floodChunked, head } from "./support/raw-http";
import { appendTally, routeOf, type SecClient, secSignedIn } from "./support/sec-client";

const LABEL = "body-limit";
const MiB = 1024 * 1024;
const FLOOD = 300 * MiB;
const ua = `llmhub-sec/${LABEL};`;
/** As browsers and most clients send it: the server decides whether the connection ends. */
const KEEP_ALIVE = { connection: "keep-alive" };

const pid = () => inject("serverPid");
const statusKb = (field: "VmRSS" | "VmHWM") => Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(readFileSync(`/proc/${pid()}/status`, "utf8"))?.[1]);
const mib = (kb: number) => Math.round(kb / 1024);
/** Starts the peak-RSS (VmHWM) measurement afresh at the current RSS (Linux: `5` to clear_refs). */
const resetPeak = () => writeFileSync(`/proc/${pid()}/clear_refs`, "5");

let admin: SecClient;

describe("bodies are counted while they stream", () => {
  beforeAll(async () => {
    admin = await secSignedIn(LABEL, secAdmin("misc"));
  });

  it("answers 300 MiB chunked to POST /auth/login, three at once, with 413 within the first MiBs, and RSS stays flat", async () => {
    const before = await snapshot();
    resetPeak();
    const rssBefore = statusKb("VmRSS");
    const path = "/api/v1/auth/login";
    const sends = Array.from({ length: 3 }, () =>
      floodChunked(head("POST", path, { "user-agent": ua, "content-type": "application/json", "transfer-encoding": "chunked", ...KEEP_ALIVE }), FLOOD),
    );
    const results = await Promise.all(sends);
    const peak = statusKb("VmHWM");
    const rssAfter = statusKb("VmRSS");
    console.log(
      `body limit: 3 x 300 MiB chunked to ${path}: RSS ${mib(rssBefore)} MiB before, peak ${mib(peak)} MiB, ${mib(rssAfter)} MiB after; ` +
        `answers after ${results.map((r) => `${(r.sentBeforeAnswer / MiB).toFixed(0)} MiB / ${r.ms.toFixed(0)} ms`).join(", ")}`,
    );
    for (const r of results) {
      appendTally({ label: LABEL, endpoint: routeOf("POST", path).endpoint, status: r.status, audit: null });
      expect(r.status, r.text).toBe(413);
      expect(r.body).toEqual({ detail: "Request body is larger than 64 KiB", code: "payload_too_large" });
      expect(r.headers.connection).toBe("close"); // the rest is not drained on a kept-alive connection
      // the server stopped reading at the limit: what got through is what the socket buffers hold
      expect(r.sentBeforeAnswer).toBeLessThan(32 * MiB);
      expect(r.ms).toBeLessThan(5000);
    }
    expect(mib(peak - rssBefore), `peak RSS grew from ${mib(rssBefore)} to ${mib(peak)} MiB`).toBeLessThan(64);
    expect(await snapshot()).toBe(before);
  });

  it("still delivers the 413 to a client slow to read: the connection is closed gently, not reset", async () => {
    // The server answers while the body is still arriving. Closed at once with body unread, the
    // socket is reset, and a client that had not read the answer yet (busy sending, or descheduled
    // on a loaded machine) lost it and saw status 0. This client reads nothing for 300 ms.
    const path = "/api/v1/auth/login";
    const r = await floodChunked(head("POST", path, { "user-agent": ua, "content-type": "application/json", "transfer-encoding": "chunked", ...KEEP_ALIVE }), 64 * MiB, { readAfterMs: 300 });
    appendTally({ label: LABEL, endpoint: routeOf("POST", path).endpoint, status: r.status, audit: null });
    expect(r.status, r.text).toBe(413);
    expect(r.body).toEqual({ detail: "Request body is larger than 64 KiB", code: "payload_too_large" });
    expect(r.headers.connection).toBe("close");
  });

  it("closes the connection when it answers before the body arrived, even without reading it (401)", async () => {
    const path = "/api/v1/webhooks";
    const r = await floodChunked(head("POST", path, { "user-agent": ua, "content-type": "application/json", "transfer-encoding": "chunked", ...KEEP_ALIVE }), FLOOD);
    appendTally({ label: LABEL, endpoint: routeOf("POST", path).endpoint, status: r.status, audit: r.status === 401 ? "webhook.create|denied|401" : null });
    expect(r.status, r.text).toBe(401);
    expect(r.headers.connection).toBe("close"); // not kept alive to read and drop 300 MiB
    expect(r.sentBeforeAnswer).toBeLessThan(32 * MiB);
  });

  it("gives server actions the same limit: a chunked body to an action is cut off early", async () => {
    // an action of the Provider Keys tab, as the browser names it (the build's manifest of actions)
    const dist = process.env.NEXT_DIST_DIR || ".next";
    const manifest = JSON.parse(readFileSync(path.join(dist, "server", "server-reference-manifest.json"), "utf8")) as { node: Record<string, unknown> };
    type Entry = { filename: string; workers: Record<string, unknown> };
    const action = Object.entries(manifest.node as Record<string, Entry>).find(([, a]) => a.filename === "lib/actions/save-provider-key.ts" && "app/(hub)/llm-hub/provider-keys/page" in a.workers)![0];
    const page = "/llm-hub/provider-keys";
    const cookie = `session_token=${admin.cookie("session_token")}`;
    const origin = new URL(inject("baseUrl")).origin;
    expect((await admin.get(page)).status).toBe(200); // the page's code loaded before measuring
    resetPeak();
    const rssBefore = statusKb("VmRSS");
    const r = await floodChunked(
      head("POST", page, { "user-agent": ua, cookie, origin, "next-action": action, accept: "text/x-component", "content-type": "text/plain;charset=UTF-8", "transfer-encoding": "chunked", ...KEEP_ALIVE }),
      FLOOD,
    );
    console.log(`body limit: 300 MiB chunked to a server action: answered ${r.status} after ${(r.sentBeforeAnswer / MiB).toFixed(0)} MiB / ${r.ms.toFixed(0)} ms; peak RSS +${mib(statusKb("VmHWM") - rssBefore)} MiB`);
    expect(r.status).toBe(413); // Next's own answer is a 500 (lib/api/request-guard.ts)
    expect(r.headers.connection).toBe("close");
    expect(r.sentBeforeAnswer).toBeLessThan(32 * MiB);
    expect(mib(statusKb("VmHWM") - rssBefore)).toBeLessThan(64);
  });

  it("cuts off a chunked body the same way on an admin route (webhooks) and keeps serving", async () => {
    const path = "/api/v1/webhooks";
    const cookie = `session_token=${admin.cookie("session_token")}`;
    const r = await floodChunked(head("POST", path, { "user-agent": ua, cookie, "content-type": "application/json", "transfer-encoding": "chunked", ...KEEP_ALIVE }), 64 * MiB);
    appendTally({ label: LABEL, endpoint: routeOf("POST", path).endpoint, status: r.status, audit: null });
    expect(r.status, r.text).toBe(413);
    expect(r.body).toMatchObject({ code: "payload_too_large" });
    expect(r.sentBeforeAnswer).toBeLessThan(32 * MiB);
    expect((await admin.get("/api/v1/auth/me")).status).toBe(200);
  });
});
