import type { ActionError, ActionResult } from "@/lib/actions/result";
import { redirectToSignIn } from "./sign-in-redirect";

/** A server action's `{ok: false}` answer, thrown so that react-query treats it as a failed mutation. */
export class ActionFailure extends Error {
  constructor(readonly error: ActionError) {
    super(error.detail);
    this.name = "ActionFailure";
  }
}

/** The data of an action's successful answer. */
export type ActionData<F extends (...args: never[]) => Promise<ActionResult<unknown>>> = Extract<Awaited<ReturnType<F>>, { ok: true }>["data"];

/**
 * Calls a server action and unwraps its answer. An expired session goes to sign-in (and back); a
 * network failure becomes an ActionFailure with a sentence, like every other failure.
 */
export async function callAction<T>(run: () => Promise<ActionResult<T>>): Promise<T> {
  let result: ActionResult<T>;
  try {
    result = await run();
  } catch {
    throw new ActionFailure({ detail: "Could not reach the server. Check your connection and try again.", code: "network", status: 0 });
  }
  if (result.ok) return result.data;
  if (result.error.status === 401) redirectToSignIn();
  throw new ActionFailure(result.error);
}

const seconds = (n: number) => `${n} second${n === 1 ? "" : "s"}`;

/** One sentence for any failed action, with what to do about it. */
export function explainFailure(err: unknown): string {
  if (!(err instanceof ActionFailure)) return "Something went wrong. Try again.";
  const e = err.error;
  if (e.status === 401) return "Your session has ended. Taking you to sign in…";
  if (e.code === "forbidden") return "Your account does not have the admin role any more. Reload the page.";
  if (e.code === "rate_limited") {
    return e.retryAfter ? `${e.detail} Wait ${seconds(e.retryAfter)}, then try again.` : `${e.detail} Wait a minute, then try again.`;
  }
  if (e.retryAfter) return `${e.detail} (try again in ${seconds(e.retryAfter)})`;
  return e.detail;
}

/** Waiting (our rate limit, an outage) is a warning; anything else is an error. */
export function failureTone(err: unknown): "outcome-warn" | "outcome-bad" {
  return err instanceof ActionFailure && (err.error.status === 429 || err.error.status === 503) ? "outcome-warn" : "outcome-bad";
}
