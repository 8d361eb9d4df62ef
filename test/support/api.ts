/** The Provider Keys API, as the integration tests call it, plus the shapes they check. */
import { expect } from "vitest";
import type { ApiResponse, Client, RequestOptions } from "./client";

export const KEYS = "/api/v1/llm/providers/keys";
export const TEST = "/api/v1/llm/providers/keys/test";
export const INFO = "/api/v1/llm/providers/info";
export const ME = "/api/v1/auth/me";

export interface ProviderRow {
  id: string;
  name: string;
  provider_type: string;
  has_key: boolean;
  key_source: "database" | "environment" | "not_set";
  enabled: boolean;
  health_status: "healthy" | "degraded" | "unhealthy" | "unknown";
  last_tested: string | null;
  test_status: "success" | "failed" | null;
  key_preview: string | null;
  config: { base_url?: string };
  priority: number;
  updated_at: string;
  updated_by: string | null;
  last_test: { latency_ms: number | null; models_found: number | null; error: string | null; error_code: string | null } | null;
}

export interface TestResult {
  success: boolean;
  latency_ms: number | null;
  models_found: number | null;
  error: string | null;
  error_code: string | null;
  status_code: number | null;
  tested_at: string;
  /** OpenRouter only. */
  credits?: { usage: number | null; limit: number | null; limit_remaining: number | null; limit_reset: string | null } | null;
}

export const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{3})?Z$/;
export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export async function listRows(c: Client): Promise<ProviderRow[]> {
  const res = await c.get<{ success: boolean; total: number; providers: ProviderRow[] }>(KEYS);
  expect(res.status, res.text).toBe(200);
  return res.body.providers;
}

/** The row of a built-in provider type, or of a custom endpoint by name (case-insensitive). */
export async function rowOf(c: Client, typeOrName: string): Promise<ProviderRow | undefined> {
  const rows = await listRows(c);
  return (
    rows.find((r) => r.provider_type === typeOrName && r.provider_type !== "custom") ??
    rows.find((r) => r.provider_type === "custom" && r.name.toLowerCase() === typeOrName.toLowerCase())
  );
}

export function saveKey(c: Client, body: Record<string, unknown>, opts?: RequestOptions): Promise<ApiResponse> {
  return c.post(KEYS, body, opts);
}

export function testKey(c: Client, body: Record<string, unknown>, opts?: RequestOptions): Promise<ApiResponse<TestResult>> {
  return c.post<TestResult>(TEST, body, opts);
}

/** Removes a built-in provider's stored key (if any), so a test starts from "no stored key". */
export async function clearStoredKey(c: Client, type: string): Promise<void> {
  const row = await rowOf(c, type);
  if (row?.key_source === "database") {
    const res = await c.delete(`${KEYS}/${row.id}`);
    expect(res.status, res.text).toBe(200);
  }
}

/** An error body per the contract: `{detail, code}` and nothing that looks like a stack. */
export function expectError(res: ApiResponse, status: number, code?: string, detail?: string | RegExp): void {
  expect(res.status, res.text).toBe(status);
  expect(typeof res.body?.detail, res.text).toBe("string");
  expect(typeof res.body?.code, res.text).toBe("string");
  if (code) expect(res.body.code).toBe(code);
  if (typeof detail === "string") expect(res.body.detail).toBe(detail);
  else if (detail) expect(res.body.detail).toMatch(detail);
  expect(res.text).not.toMatch(/\bat \S+ \(|node_modules|\.ts:\d+/);
}
