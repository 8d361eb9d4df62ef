// GET /api/health/ready — readiness: the database and (when configured) Redis answer
import { methodNotAllowed } from "@/lib/api/method-not-allowed";
import { readiness } from "@/lib/readiness";

export const dynamic = "force-dynamic";

export async function GET() {
  const report = await readiness();
  return Response.json(report, { status: report.ready ? 200 : 503, headers: { "Cache-Control": "no-store" } });
}

const notAllowed = methodNotAllowed("GET");
export const POST = notAllowed;
export const PUT = notAllowed;
export const PATCH = notAllowed;
export const DELETE = notAllowed;
