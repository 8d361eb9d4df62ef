import { describe, expect, it } from "vitest";
import { baseUrlOfConfig, describeDatabaseUrl } from "./ops-center-table";

describe("reading Ops Center's table", () => {
  it("config.base_url, also from a config stored JSON-encoded twice", () => {
    expect(baseUrlOfConfig('{"base_url": "http://10.0.0.5:8000/v1", "model_prefixes": []}')).toBe("http://10.0.0.5:8000/v1");
    expect(baseUrlOfConfig(JSON.stringify(JSON.stringify({ base_url: "http://10.0.0.6/v1" })))).toBe("http://10.0.0.6/v1");
    for (const none of [null, "{}", '{"base_url": 5}', '"not json inside"', "[]", "null"]) expect(baseUrlOfConfig(none), String(none)).toBeNull();
  });

  it("names the old database without its password, and refuses anything but a postgres:// URL", () => {
    expect(describeDatabaseUrl("postgres://ops:s3cret@db.internal:6543/unicorn_db")).toBe("db.internal:6543/unicorn_db");
    expect(describeDatabaseUrl("postgresql://ops@db.internal/unicorn_db")).toBe("db.internal:5432/unicorn_db");
    expect(() => describeDatabaseUrl("mysql://db/x")).toThrow("--from: expected a postgres:// URL");
    expect(() => describeDatabaseUrl("db.internal/unicorn_db")).toThrow("--from: not a URL");
  });
});
