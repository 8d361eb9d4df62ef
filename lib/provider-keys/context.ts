import type { RequestContext } from "@/lib/api/request-context";

/** Who asks: every service call carries the signed-in admin and where the request came from. */
export interface Actor {
  id: string;
  email: string;
}

export interface CallContext {
  actor: Actor;
  request: RequestContext;
}
