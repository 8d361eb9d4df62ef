// GET /api/health/ready — readiness: the database and (when configured) Redis answer
import { readiness } from "@/lib/health";

export const dynamic = "force-dynamic";

export async function GET() {
  const report = await readiness();
  return Response.json(report, { status: report.ready ? 200 : 503, headers: { "Cache-Control": "no-store" } });
}
