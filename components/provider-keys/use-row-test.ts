"use client";

import { useTestKey } from "./mutations";
import type { ProviderRow } from "./queries";
import type { TestSummary } from "./test-outcome";

/**
 * A row's test action and the result to show: this tab's own result until the list catches up with
 * it (a later change to the row wins), else the stored one. Shared by the card and the compact row.
 */
export function useRowTest(row: ProviderRow): { test: ReturnType<typeof useTestKey>; last: TestSummary | null; testedAt: string | null } {
  const test = useTestKey(row);
  const fresh = test.data && test.data.tested_at > (row.last_tested ?? "") && test.data.tested_at > row.updated_at;
  const own = fresh ? test.data : null;
  const last: TestSummary | null = own ?? (row.last_test ? { ...row.last_test, success: row.test_status === "success" } : null);
  return { test, last, testedAt: own?.tested_at ?? row.last_tested };
}
