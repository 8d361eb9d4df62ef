/**
 * The client's side of a forwarded answer: a ReadableStream fed from the provider's socket through
 * the body processor, with back-pressure (the socket is paused while the client's buffer is full),
 * the idle bound between chunks (paused with it: a slow reader is not an idle provider), and the
 * provider's request torn down when the answer is cut short either way.
 *
 * A cut by the provider reaches the client as an error of the stream (its connection is broken, so
 * no SDK takes the answer for a whole one), but only once the client has been given every byte that
 * arrived before it: a ReadableStream drops its queued chunks when it errors, and the provider's
 * last chunks and its reset often arrive together. The error is an AbortError, which the server's
 * pipe (Next's) treats as an ended exchange: it breaks the client's connection without logging a
 * stack trace for what is the provider's doing (the usage record says what happened).
 */
import type { ServerResponse } from "node:http";
import { errorFields, log } from "@/lib/log";
import { corkForThisTick, uncorkNow } from "@/server/cork.mjs";
import type { UpstreamResponse } from "./forward";
import type { BodyProcessor } from "./response-body";
import type { ClientSignal } from "./request";

/** Bytes queued for the client before the provider's socket is paused. */
const HIGH_WATER_MARK = 64 * 1024;

export type CutReason = "upstream_timeout" | "upstream_reset" | "client_closed" | "internal_error";

/** Where the relay hands the client's bytes: a ReadableStream's controller, or a Node response. */
interface Sink {
  write(chunk: Buffer): void;
  /** The client's buffer is full: the provider waits for `resume`. */
  full(): boolean;
  end(): void;
  /** The answer was cut: the client gets what came before, then its connection is broken. */
  fail(err: Error): void;
}

interface Relay {
  start(): void;
  /** The client took what was queued: read on from the provider. */
  resume(): void;
  /** The client is gone. */
  cancel(): void;
}

/**
 * Upstream chunks through the processor into the sink, pulled at the client's pace (the upstream
 * socket is paused while the client's buffer is full, and the idle timer with it).
 */
function relay(
  upstream: UpstreamResponse,
  processor: BodyProcessor,
  timeoutMs: number,
  clientSignal: ClientSignal,
  report: (completed: boolean, errorCode: CutReason | null) => void,
  sink: Sink,
): Relay {
  const src = upstream.body;
  let done = false;
  let paused = false;
  let idle: NodeJS.Timeout | null = null;

  const stopIdle = () => {
    if (idle) clearTimeout(idle);
    idle = null;
  };
  const armIdle = () => {
    if (idle) idle.refresh();
    else idle = setTimeout(() => cut("upstream_timeout"), timeoutMs);
  };
  const cleanup = () => {
    done = true;
    stopIdle();
    clientSignal.removeEventListener("abort", onClientAbort);
    src.off("data", onData);
    src.off("end", onEnd);
    src.off("error", onBroken);
    src.off("close", onClose);
  };
  /** The answer stops short: the provider went idle or broke off, the client left, or the hub failed. */
  const cut = (errorCode: CutReason) => {
    if (done) return;
    cleanup();
    upstream.destroy();
    if (errorCode !== "client_closed") {
      try {
        const tail = processor.end();
        if (tail.length > 0) sink.write(tail);
      } catch {
        // the client's side is already closed
      }
      // an error, not a close: the client must see that the answer is incomplete
      sink.fail(new DOMException(CUT_REASONS[errorCode], "AbortError"));
    }
    report(false, errorCode);
  };
  const onData = (chunk: Buffer) => {
    if (done) return;
    armIdle();
    let out: Buffer;
    try {
      out = processor.push(chunk);
    } catch (err) {
      // a bug here must cost this answer only, never the process (this runs in a socket callback)
      log.error("gateway: reading the provider's answer failed", errorFields(err));
      return cut("internal_error");
    }
    if (out.length > 0) sink.write(out);
    if (sink.full()) {
      paused = true;
      stopIdle(); // waiting for the client is not the provider being idle
      src.pause();
    }
  };
  const onEnd = () => {
    if (done) return;
    cleanup();
    try {
      const tail = processor.end();
      if (tail.length > 0) sink.write(tail);
    } catch (err) {
      log.error("gateway: reading the provider's answer failed", errorFields(err));
      sink.fail(new DOMException(CUT_REASONS.internal_error, "AbortError"));
      return report(false, "internal_error");
    }
    sink.end();
    report(true, null);
  };
  const onBroken = () => cut("upstream_reset");
  const onClose = () => {
    if (!done && !upstream.complete()) cut("upstream_reset");
  };
  const onClientAbort = () => cut("client_closed");

  return {
    start() {
      if (clientSignal.aborted) return onClientAbort();
      clientSignal.addEventListener("abort", onClientAbort, { once: true });
      src.on("data", onData);
      src.on("end", onEnd);
      src.on("error", onBroken);
      src.on("close", onClose);
      armIdle();
    },
    resume() {
      if (paused && !done) {
        paused = false;
        armIdle();
        src.resume();
      }
    },
    cancel() {
      cut("client_closed");
    },
  };
}

/**
 * The client's body stream (for Next's server): upstream chunks through the processor, pulled at
 * the client's pace.
 */
export function streamBody(
  upstream: UpstreamResponse,
  processor: BodyProcessor,
  timeoutMs: number,
  clientSignal: ClientSignal,
  /** Called once: completed, or cut with the reason. */
  report: (completed: boolean, errorCode: CutReason | null) => void,
): ReadableStream<Uint8Array> {
  let controller!: ReadableStreamDefaultController<Uint8Array>;
  /** The error to give the client once it has read everything queued before the cut. */
  let pendingError: Error | null = null;
  const errorWhenDrained = () => {
    if (!pendingError || (controller.desiredSize ?? 0) < HIGH_WATER_MARK) return;
    controller.error(pendingError);
    pendingError = null;
  };
  let closed = false;
  const r = relay(upstream, processor, timeoutMs, clientSignal, report, {
    write: (chunk) => {
      if (!closed) controller.enqueue(chunk);
    },
    full: () => (controller.desiredSize ?? 1) <= 0,
    end: () => {
      closed = true;
      controller.close();
    },
    fail: (err) => {
      closed = true;
      pendingError = err;
      errorWhenDrained();
    },
  });
  return new ReadableStream<Uint8Array>(
    {
      start(c) {
        controller = c;
        r.start();
      },
      pull() {
        // called again each time the client takes a chunk: the deferred error goes once it took the last
        if (pendingError) return errorWhenDrained();
        r.resume();
      },
      cancel() {
        r.cancel();
      },
    },
    { highWaterMark: HIGH_WATER_MARK, size: (chunk) => chunk.byteLength },
  );
}

/**
 * The same relay written straight to a Node response (server/fast-path.mjs), as its pipe of a
 * streamed body did: each chunk written and flushed (for the compressor) as it comes, chunks of one
 * turn of the event loop in one socket write (headers included), the provider paused while the
 * socket is full, and a cut answer's connection broken once what came before it was handed over.
 * Resolves once the answer is over; never rejects (what happened goes to `report`).
 */
export function writeBodyToNode(
  upstream: UpstreamResponse,
  processor: BodyProcessor,
  timeoutMs: number,
  clientSignal: ClientSignal,
  report: (completed: boolean, errorCode: CutReason | null) => void,
  res: ServerResponse,
): Promise<void> {
  return new Promise<void>((resolve) => {
    /** The last write filled the socket's buffer (the compressor's, when it is on): wait for `drain`. */
    let needDrain = false;
    const flush = (res as ServerResponse & { flush?: () => void }).flush;
    const finish = () => {
      res.off("drain", onDrain);
      resolve();
    };
    const r = relay(upstream, processor, timeoutMs, clientSignal, report, {
      write: (chunk) => {
        if (res.destroyed || res.writableEnded) return;
        corkForThisTick(res.socket); // chunks of one turn of the event loop: one socket write
        if (!res.write(chunk)) needDrain = true;
        if (typeof flush === "function") flush.call(res);
      },
      full: () => needDrain,
      end: () => {
        if (!res.destroyed && !res.writableEnded) res.end();
        finish();
      },
      fail: (err) => {
        const breakOff = () => {
          uncorkNow(res.socket);
          if (!res.destroyed) res.destroy(err);
          finish();
        };
        // what was written before the cut leaves first
        if (needDrain && !res.destroyed) res.once("drain", breakOff);
        else breakOff();
      },
    });
    const onDrain = () => {
      needDrain = false;
      r.resume();
    };
    res.on("drain", onDrain);
    res.once("close", () => {
      if (!res.writableFinished) r.cancel();
      finish();
    });
    if (res.destroyed) {
      r.cancel();
      return finish();
    }
    r.start();
  });
}

const CUT_REASONS = {
  upstream_timeout: "the provider went silent mid-answer",
  upstream_reset: "the provider broke off the answer",
  client_closed: "the client went away",
  internal_error: "the hub could not read the provider's answer",
} as const;
