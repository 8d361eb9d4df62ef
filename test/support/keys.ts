/**
 * Every plaintext key the integration suite sends comes from here. Each one is shaped like its
 * provider's keys, carries the fake provider's behaviour word, and a secret marker in the middle
 * (past the 7 characters and before the 4 that a preview shows), so that a preview never contains
 * it. Every key is recorded in a file shared by all test files (vitest isolates modules per file),
 * which the client's leak check and the final secrets scan read.
 */
import { randomBytes } from "node:crypto";
import { appendFileSync, existsSync, readFileSync } from "node:fs";
import { inject } from "vitest";
import type { ProviderType } from "../../lib/providers/catalogue";

/** Appears in every generated key and must never appear in anything the app returns or stores in clear. */
export const MARKER = "ZQXSECRET";

/** The fake provider picks its answer by one of these words anywhere in the key. */
export type Behaviour =
  | ""
  | "invalid"
  | "forbidden"
  | "nocredit"
  | "quota"
  | "ratelimit"
  | "error500"
  | "overloaded"
  | "hang"
  | "html"
  | "html200"
  | "reset"
  | "garbage"
  | "huge"
  | "notvalid"
  | "legacy";

const PREFIX: Record<ProviderType, string> = {
  openrouter: "sk-or-v1-",
  openai: "sk-proj-",
  anthropic: "sk-ant-api03-",
  google: "AIza",
  cohere: "",
  groq: "gsk_",
  together: "tgp_v1_",
  mistral: "",
  custom: "",
};

const local: string[] = [];
let sinkPath: string | undefined;

/** The file every test file appends its keys to (set by the global setup, read by inject elsewhere). */
export function setKeySink(path: string): void {
  sinkPath = path;
}

function sink(): string | undefined {
  if (sinkPath) return sinkPath;
  try {
    sinkPath = inject("keysFile");
  } catch {
    sinkPath = undefined; // outside a test worker
  }
  return sinkPath;
}

/**
 * Records a secret that is not a provider key (a webhook signing secret, a hub key, a password):
 * the scans then look for it too. It carries no marker, so it is kept apart from provider keys.
 */
export const recordSecret = (secret: string): string => record(secret, true);

const generated = new Set<string>();

function record(key: string, isGenerated = false): string {
  local.push(key);
  if (isGenerated) generated.add(key);
  const file = sink();
  if (file) appendFileSync(file, `${JSON.stringify(isGenerated ? { generated: key } : key)}\n`);
  return key;
}

/** Lower-case hex cannot spell any behaviour word (they all hold letters past "f"). */
const hex = (bytes: number) => randomBytes(bytes).toString("hex");

/** A provider-shaped key: `<prefix><hex><behaviour>ZQXSECRET<hex><hex>`. */
export function providerKey(type: ProviderType, behaviour: Behaviour = ""): string {
  return record(`${PREFIX[type] || hex(3)}${hex(6)}${behaviour}${MARKER}${hex(4)}${hex(10)}`);
}

/** Nine characters: below the 10-character minimum (too short to hold the marker; recorded anyway). */
export function tooShortKey(): string {
  return record(`Kq${randomBytes(6).toString("base64url").replace(/[-_]/g, "x").slice(0, 7)}`);
}

/** 4097 characters: one above the maximum. */
export function tooLongKey(): string {
  const head = `sk-proj-${hex(6)}${MARKER}${hex(4)}`;
  return record(head + "a".repeat(4097 - head.length));
}

/** A key with a space inside it. */
export function keyWithSpace(): string {
  return record(`sk-proj-${hex(6)}${MARKER}${hex(4)} ${hex(10)}`);
}

/** The contract's preview: first 7 and last 4 characters when longer than 20, else `***`. */
export function previewOf(key: string): string {
  return key.length > 20 ? `${key.slice(0, 7)}...${key.slice(-4)}` : "***";
}

/** Every key recorded by any test file (and the global setup) so far. */
export function allRecordedKeys(): string[] {
  return [...recorded().keys()];
}

/** The provider keys recorded (made by providerKey and its kin): each carries the marker. */
export function recordedProviderKeys(): string[] {
  return [...recorded()].filter(([, isGenerated]) => !isGenerated).map(([k]) => k);
}

/** Every recorded secret, with whether it is a generated one (recordSecret). */
function recorded(): Map<string, boolean> {
  const out = new Map<string, boolean>(local.map((k) => [k, generated.has(k)]));
  const file = sink();
  if (file && existsSync(file)) {
    for (const line of readFileSync(file, "utf8").split("\n")) {
      if (!line) continue;
      const v = JSON.parse(line) as string | { generated: string };
      if (typeof v === "string") out.set(v, out.get(v) ?? false);
      else out.set(v.generated, true);
    }
  }
  return out;
}

/** A description of the first secret found in `text` (the marker or a full recorded key), else null. */
export function findLeak(text: string, keys: string[] = allRecordedKeys()): string | null {
  if (text.includes(MARKER)) return `the secret marker ${MARKER}`;
  for (const key of keys) if (text.includes(key)) return `a full API key (${previewOf(key)})`;
  return null;
}
