// The sign-in hash queue with real scrypt: a full lane refuses at once, and the priority lane
// overtakes a queue that is already full.
import { describe, expect, it } from "vitest";
import { HashQueueFullError, hashPassword, hashQueueFull, verifyPassword } from "./password";

describe("password hashing", () => {
  it("verifies the right password and refuses a wrong one", async () => {
    const stored = await hashPassword("correct horse battery");
    expect(await verifyPassword("correct horse battery", stored)).toBe(true);
    expect(await verifyPassword("correct horse battery!", stored)).toBe(false);
    expect(await verifyPassword("x", "not-a-hash")).toBe(false);
  });

  it("bounds the normal lane, and serves the priority lane first", async () => {
    const stored = await hashPassword("a sign-in password");
    const finished: string[] = [];
    const attempt = (lane: "normal" | "priority", name: string) =>
      verifyPassword("wrong password", stored, lane).then(
        () => void finished.push(name),
        (err: unknown) => {
          finished.push(`${name} refused`);
          throw err;
        },
      );
    // fill the running slots and every waiting place of the normal lane
    const flood: Promise<void>[] = [];
    for (let i = 0; hashQueueFull("normal") === null; i++) flood.push(attempt("normal", `flood-${i}`));
    expect(flood.length).toBeGreaterThanOrEqual(33);

    const refused = await attempt("normal", "late").catch((err: unknown) => err);
    expect(refused).toBeInstanceOf(HashQueueFullError);
    expect((refused as HashQueueFullError).retryAfterSeconds).toBeGreaterThanOrEqual(1);

    // Which hash takes the first slot that frees up, read from the queue itself: the order in which
    // hashes *finish* depends on how the OS schedules the pool's threads (a hash started after the
    // admin's may well finish before it), the order in which they *start* does not. Node runs these
    // callbacks, and the slot's hand-over before them, as soon as each hash completes.
    let normalLaneFullAtFirstFinish: boolean | undefined;
    for (const f of flood) void f.then(() => void (normalLaneFullAtFirstFinish ??= hashQueueFull("normal") !== null));
    const admin = attempt("priority", "admin");
    await admin;
    expect(finished).toContain("late refused");
    // the first slot to free up went to the admin, while all 32 normal sign-ins kept waiting: only
    // the hashes already running when it arrived were served before it
    expect(normalLaneFullAtFirstFinish).toBe(true);
    await Promise.all(flood);
    expect(finished.filter((f) => f.startsWith("flood-"))).toHaveLength(flood.length);
    expect(hashQueueFull("normal")).toBeNull();
  }, 60_000);
});
