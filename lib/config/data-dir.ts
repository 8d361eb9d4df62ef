import { chmodSync, mkdirSync, readdirSync } from "node:fs";
import path from "node:path";
import { getEnv } from "@/lib/env";
import { log } from "@/lib/log";

/**
 * DATA_DIR, or a folder in it, private to the user the app runs as: created 0700, and set back to
 * 0700 when it exists with looser modes (an install from before this rule). In zero-setup mode it
 * holds the embedded database (password hashes, encrypted keys, their WAL) and the local secrets.
 */
export function privateDataDir(...sub: string[]): string {
  const root = path.resolve(getEnv().DATA_DIR);
  const dir = path.join(root, ...sub);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  for (let d = dir; ; d = path.dirname(d)) {
    makePrivate(d, 0o700);
    if (d === root || d === path.dirname(d)) break;
  }
  return dir;
}

/**
 * Every folder under `dir` 0700 and every file 0600. PGlite writes the files of a new database
 * 0666, whatever the umask (they come from its bundled template), so they are fixed after it opens.
 */
export function makeTreePrivate(dir: string): void {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      makePrivate(full, 0o700);
      makeTreePrivate(full);
    } else if (entry.isFile()) {
      makePrivate(full, 0o600);
    }
  }
}

function makePrivate(file: string, mode: number): void {
  try {
    chmodSync(file, mode);
  } catch (err) {
    // a folder the app may write to but not own (a mounted volume): say so, and go on
    log.warn(`Could not make ${file} private (mode ${mode.toString(8)}): ${(err as Error).message}`);
  }
}
