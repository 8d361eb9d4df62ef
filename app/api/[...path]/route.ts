// Any other /api/* path — a JSON 404 instead of the HTML not-found page, so API clients get the one error shape
const notFound = () =>
  Response.json({ detail: "Not found", code: "not_found" }, { status: 404, headers: { "Cache-Control": "no-store" } });

export const GET = notFound;
export const POST = notFound;
export const PUT = notFound;
export const PATCH = notFound;
export const DELETE = notFound;
