/** Next answers an unserved method with an empty 405; the API answers with its error shape. */
export function methodNotAllowed(allow: string) {
  return () =>
    Response.json(
      { detail: `Method not allowed (this endpoint accepts ${allow})`, code: "method_not_allowed" },
      { status: 405, headers: { Allow: allow, "Cache-Control": "no-store" } },
    );
}
