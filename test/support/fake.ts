/** The fake provider runs in the global-setup process; tests reach it through its control endpoints. */
import { inject } from "vitest";
import type { RecordedRequest } from "../fake-provider/server";

async function control<T>(method: "GET" | "POST", path: string): Promise<T> {
  const res = await fetch(`${inject("fakeUrl")}${path}`, { method });
  if (res.status !== 200) throw new Error(`fake provider ${method} ${path}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

/** What the fake provider has received since the last reset (credentials redacted). */
export const fakeRequests = () => control<RecordedRequest[]>("GET", "/__fake/requests");
export const resetFake = () => control<{ ok: true }>("POST", "/__fake/reset");
export const setFakeLatency = (ms: number) => control<{ ok: true }>("POST", `/__fake/latency?ms=${ms}`);
