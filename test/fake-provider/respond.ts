/**
 * Writes one inference answer on the wire with the timing the test asked for (time to first byte,
 * chunk spacing, a stream that goes idle or is reset mid-way), respects back-pressure, notices the
 * client going away (and then stops writing), and records all of it for the test to read.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import type { FakeUsage } from "./usage";

/** What the fake did for a chat, embeddings, Messages or generateContent request. */
export interface InferenceRecord {
  endpoint: "chat" | "embeddings" | "models" | "messages" | "generateContent" | "streamGenerateContent";
  model: string | null;
  stream: boolean;
  /** The request asked for the final usage chunk (`stream_options.include_usage: true`). */
  includeUsage: boolean;
  /** The status sent, or null while none has been (time to first byte, a hang, a disconnect). */
  status: number | null;
  /** The counts the answer carried (null for an error); see FakeUsage for the convention. */
  usage: FakeUsage | null;
  /** Whether those counts were actually written (a stream without include_usage carries none). */
  usageSent: boolean;
  /** When each content chunk was written, in ms after the request arrived (one entry for a JSON body). */
  chunkTimes: number[];
  /** The client went away before the answer was complete; the fake stopped writing. */
  aborted: boolean;
  /** The whole answer was written. */
  completed: boolean;
}

export interface StreamFrames {
  /** Written together with the first chunk (a role chunk, message_start, an SSE comment...). */
  head: string;
  /** One per reply word. */
  chunks: string[];
  /** Written together with the last chunk (finish, usage, [DONE], message_stop...). */
  tail: string;
}

export interface Answer {
  status: number;
  headers: Record<string, string>;
  body: string | StreamFrames;
  usage: FakeUsage | null;
  usageSent: boolean;
}

export interface Timing {
  ttfbMs: number;
  intervalMs: number;
  idleAfter: number | null;
  resetAfter: number | null;
}

/** Timers the server must clear on close, shared by every answer in flight. */
export type TimerSet = Set<NodeJS.Timeout>;

export function newRecord(endpoint: InferenceRecord["endpoint"], model: string | null, stream: boolean, includeUsage: boolean): InferenceRecord {
  return { endpoint, model, stream, includeUsage, status: null, usage: null, usageSent: false, chunkTimes: [], aborted: false, completed: false };
}

/** Marks the record aborted when the client leaves early; returns a signal that fires then. */
export function watchClient(res: ServerResponse, rec: InferenceRecord): { signal: AbortSignal; selfReset(): void } {
  const ac = new AbortController();
  let reset = false;
  res.on("close", () => {
    if (!res.writableFinished && !reset) rec.aborted = true;
    ac.abort();
  });
  return { signal: ac.signal, selfReset: () => void (reset = true) };
}

/** Resolves true after `ms`, or false as soon as the signal fires. */
function sleep(ms: number, signal: AbortSignal, timers: TimerSet): Promise<boolean> {
  if (signal.aborted) return Promise.resolve(false);
  if (ms <= 0) return Promise.resolve(true);
  return new Promise((resolve) => {
    const done = (ok: boolean) => {
      clearTimeout(t);
      timers.delete(t);
      signal.removeEventListener("abort", onAbort);
      resolve(ok);
    };
    const onAbort = () => done(false);
    const t = setTimeout(() => done(true), ms);
    timers.add(t);
    signal.addEventListener("abort", onAbort, { once: true });
  });
}

const untilAborted = (signal: AbortSignal): Promise<void> =>
  signal.aborted ? Promise.resolve() : new Promise((resolve) => signal.addEventListener("abort", () => resolve(), { once: true }));

/** Resolves when `event` fires on `res` or the signal does. */
function either(res: ServerResponse, event: "drain", signal: AbortSignal): Promise<void> {
  return new Promise<void>((resolve) => {
    const done = () => {
      res.off(event, done);
      signal.removeEventListener("abort", done);
      resolve();
    };
    res.once(event, done);
    signal.addEventListener("abort", done, { once: true });
  });
}

/**
 * A writer that waits for the socket to drain when the client reads slowly, and can wait until all
 * it wrote has reached the socket (so a deliberate reset comes after the data, not instead of it).
 */
function writer(res: ServerResponse, signal: AbortSignal) {
  let flushed: Promise<void> = Promise.resolve();
  return {
    async write(data: string): Promise<void> {
      let ok = true;
      flushed = new Promise<void>((resolve) => {
        ok = res.write(data, () => resolve());
      });
      if (!ok && !signal.aborted) await either(res, "drain", signal);
    },
    flushed: () => Promise.race([flushed, new Promise<void>((resolve) => signal.addEventListener("abort", () => resolve(), { once: true }))]),
  };
}

/** Sends `answer` after the time to first byte, chunk by chunk for a stream. */
export async function sendAnswer(
  req: IncomingMessage,
  res: ServerResponse,
  rec: InferenceRecord,
  answer: Answer,
  timing: Timing,
  client: { signal: AbortSignal; selfReset(): void },
  startedAt: number,
  timers: TimerSet,
): Promise<void> {
  const { signal } = client;
  const now = () => Math.round((performance.now() - startedAt) * 10) / 10;
  const cut = timing.resetAfter ?? timing.idleAfter;
  const out = writer(res, signal);
  const stop = async () => {
    if (timing.resetAfter !== null) {
      await out.flushed();
      client.selfReset();
      req.socket.destroy();
    } else await untilAborted(signal); // idle: keep the connection open and silent until someone gives up
  };

  if (!(await sleep(timing.ttfbMs, signal, timers))) return;
  res.writeHead(answer.status, answer.headers);
  rec.status = answer.status;
  rec.usage = answer.usage;

  if (typeof answer.body === "string") {
    if (cut !== null) {
      await out.write(answer.body.slice(0, Math.floor(answer.body.length / 2)));
      rec.chunkTimes.push(now());
      return stop();
    }
    res.end(answer.body);
    rec.chunkTimes.push(now());
    rec.usageSent = answer.usageSent;
    rec.completed = true;
    return;
  }

  const { head, chunks, tail } = answer.body;
  const last = cut === null ? chunks.length : Math.min(cut, chunks.length);
  if (timing.intervalMs <= 0 && cut === null) {
    // The whole stream in one write: the fastest path, the one benchmarks take.
    res.end(head + chunks.join("") + tail);
    for (let i = 0; i < chunks.length; i++) rec.chunkTimes.push(now());
    rec.usageSent = answer.usageSent;
    rec.completed = true;
    return;
  }
  let headWritten = false;
  if (timing.intervalMs <= 0) {
    await out.write(head + chunks.slice(0, last).join(""));
    headWritten = true;
    for (let i = 0; i < last; i++) rec.chunkTimes.push(now());
  } else {
    for (let i = 0; i < last; i++) {
      if (i > 0 && !(await sleep(timing.intervalMs, signal, timers))) return;
      await out.write((i === 0 ? head : "") + chunks[i]);
      headWritten = true;
      rec.chunkTimes.push(now());
      if (signal.aborted) return;
    }
  }
  if (signal.aborted) return;
  if (cut !== null) {
    if (!headWritten) await out.write(head);
    return stop();
  }
  res.end(headWritten ? tail : head + tail);
  rec.usageSent = answer.usageSent;
  rec.completed = true;
}
