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
import { errorFields, log } from "@/lib/log";
import type { UpstreamResponse } from "./forward";
import type { BodyProcessor } from "./response-body";

/** Bytes queued for the client before the provider's socket is paused. */
const HIGH_WATER_MARK = 64 * 1024;

export type CutReason = "upstream_timeout" | "upstream_reset" | "client_closed" | "internal_error";

/**
 * The client's body stream: upstream chunks through the processor, pulled at the client's pace
 * (the upstream socket is paused while the client's buffer is full, and the idle timer with it).
 */
export function streamBody(
  upstream: UpstreamResponse,
  processor: BodyProcessor,
  timeoutMs: number,
  clientSignal: AbortSignal,
  /** Called once: completed, or cut with the reason. */
  report: (completed: boolean, errorCode: CutReason | null) => void,
): ReadableStream<Uint8Array> {
  const src = upstream.body;
  let done = false;
  let paused = false;
  let idle: NodeJS.Timeout | null = null;
  let controller!: ReadableStreamDefaultController<Uint8Array>;
  /** The error to give the client once it has read everything queued before the cut. */
  let pendingError: Error | null = null;

  const errorWhenDrained = () => {
    if (!pendingError || (controller.desiredSize ?? 0) < HIGH_WATER_MARK) return;
    controller.error(pendingError);
    pendingError = null;
  };

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
        if (tail.length > 0) controller.enqueue(tail);
      } catch {
        // the client's side is already closed
      }
      // an error, not a close: the client must see that the answer is incomplete
      pendingError = new DOMException(CUT_REASONS[errorCode], "AbortError");
      errorWhenDrained();
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
    if (out.length > 0) controller.enqueue(out);
    if ((controller.desiredSize ?? 1) <= 0) {
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
      if (tail.length > 0) controller.enqueue(tail);
      controller.close();
    } catch (err) {
      log.error("gateway: reading the provider's answer failed", errorFields(err));
      pendingError = new DOMException(CUT_REASONS.internal_error, "AbortError");
      errorWhenDrained();
      return report(false, "internal_error");
    }
    report(true, null);
  };
  const onBroken = () => cut("upstream_reset");
  const onClose = () => {
    if (!done && !upstream.complete()) cut("upstream_reset");
  };
  const onClientAbort = () => cut("client_closed");

  return new ReadableStream<Uint8Array>(
    {
      start(c) {
        controller = c;
        if (clientSignal.aborted) return onClientAbort();
        clientSignal.addEventListener("abort", onClientAbort, { once: true });
        src.on("data", onData);
        src.on("end", onEnd);
        src.on("error", onBroken);
        src.on("close", onClose);
        armIdle();
      },
      pull() {
        // called again each time the client takes a chunk: the deferred error goes once it took the last
        if (pendingError) return errorWhenDrained();
        if (paused && !done) {
          paused = false;
          armIdle();
          src.resume();
        }
      },
      cancel() {
        cut("client_closed");
      },
    },
    { highWaterMark: HIGH_WATER_MARK, size: (chunk) => chunk.byteLength },
  );
}

const CUT_REASONS = {
  upstream_timeout: "the provider went silent mid-answer",
  upstream_reset: "the provider broke off the answer",
  client_closed: "the client went away",
  internal_error: "the hub could not read the provider's answer",
} as const;
