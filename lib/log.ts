import { getEnv } from "@/lib/env";

type Level = "debug" | "info" | "warn" | "error";
const ORDER: Record<Level, number> = { debug: 10, info: 20, warn: 30, error: 40 };

/**
 * Plain one-line log records: `time level message {json}`. Callers pass messages and fields that
 * are already free of secrets; errors are reduced to name, code and message (never a request body).
 */
function write(level: Level, message: string, fields?: Record<string, unknown>) {
  let min: Level = "info";
  try {
    min = getEnv().LOG_LEVEL;
  } catch {
    // configuration errors are reported elsewhere; keep logging
  }
  if (ORDER[level] < ORDER[min]) return;
  const line = `${new Date().toISOString()} ${level.toUpperCase()} ${message}${fields ? ` ${JSON.stringify(fields)}` : ""}`;
  (level === "error" || level === "warn" ? process.stderr : process.stdout).write(`${line}\n`);
}

export const log = {
  debug: (m: string, f?: Record<string, unknown>) => write("debug", m, f),
  info: (m: string, f?: Record<string, unknown>) => write("info", m, f),
  warn: (m: string, f?: Record<string, unknown>) => write("warn", m, f),
  error: (m: string, f?: Record<string, unknown>) => write("error", m, f),
};

/** What of an error is safe to log: its kind and message, and the same for its causes. */
export function errorFields(err: unknown): Record<string, unknown> {
  const chain: string[] = [];
  for (let e = err, d = 0; e && d < 4; e = (e as { cause?: unknown }).cause, d++) {
    const x = e as { name?: string; code?: string; message?: string };
    // drizzle puts query parameters in its messages; they never belong in a log line
    const message = x.message?.replace(/\nparams:[\s\S]*$/, "\nparams: <redacted>").slice(0, 300);
    chain.push([x.name, x.code, message].filter(Boolean).join(": "));
  }
  const stack = (err as { stack?: string })?.stack
    ?.split("\n")
    .map((s) => s.trim())
    .filter((s) => s.startsWith("at "))
    .slice(0, 5);
  return { error: chain, stack };
}
