/** The running server's log (stdout + stderr of `next start`), as the global setup writes it. */
import { readFileSync } from "node:fs";
import { inject } from "vitest";

export const serverLog = (): string => readFileSync(inject("logPath"), "utf8");

/** Waits (briefly) for a line matching `pattern` to reach the log file. */
export async function waitForLogLine(pattern: RegExp, timeoutMs = 3000): Promise<string | null> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const line = serverLog().split("\n").find((l) => pattern.test(l));
    if (line || Date.now() > deadline) return line ?? null;
    await new Promise((r) => setTimeout(r, 100));
  }
}
