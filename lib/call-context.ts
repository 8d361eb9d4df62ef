/** Who is calling from where: what the audit log and the sign-in limits need of a request. */
export interface RequestContext {
  ip: string | null;
  userAgent: string | null;
}

/** Who asks: every service call carries the signed-in admin and where the request came from. */
export interface Actor {
  id: string;
  email: string;
}

export interface CallContext {
  actor: Actor;
  request: RequestContext;
}

/** A service call that may come from the CLI too: there the actor is `cli:<user>`, with no id. */
export interface ServiceCall {
  actor: { id: string | null; email: string };
  request: RequestContext | null;
}
