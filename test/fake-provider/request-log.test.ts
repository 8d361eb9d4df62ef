import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startFakeProvider, type FakeProvider } from "./server";

describe("GET /__fake/requests", () => {
  let fake: FakeProvider;
  beforeAll(async () => {
    fake = await startFakeProvider();
  });
  afterAll(() => fake.close());

  const log = async (query = "") => {
    const res = await fetch(`${fake.url}/__fake/requests${query}`);
    expect(res.headers.get("content-type")).toBe("application/json");
    return (await res.json()) as Array<{ path: string }>;
  };

  it("lists every request the fake saw, empty, one, and across the slices it is written in", async () => {
    expect(await log()).toEqual([]);
    await fetch(`${fake.url}/openai/v1/models`, { headers: { authorization: "Bearer sk-proj-one" } });
    expect((await log()).map((r) => r.path)).toEqual(["/openai/v1/models"]);
    // 1,201 records: three slices of the writer, the last a short one
    await Promise.all(Array.from({ length: 1200 }, (_, i) => fetch(`${fake.url}/openai/v1/models?n=${i}`, { headers: { authorization: "Bearer sk-proj-many" } }).then((r) => r.arrayBuffer())));
    const all = await log();
    expect(all).toHaveLength(1201);
    expect(all).toEqual(JSON.parse(JSON.stringify(fake.requests)));
    await fetch(`${fake.url}/__fake/reset`, { method: "POST" });
    expect(await log()).toEqual([]);
  });
});
