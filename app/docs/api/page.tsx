import { redirect } from "next/navigation";
import Link from "next/link";
import { ApiReference } from "@/components/api-docs/api-reference";
import { currentPageUser } from "@/lib/api/current-user";
import { getEnv } from "@/lib/env";

export const metadata = { title: "API reference" };

const PATH = "/docs/api";

/** The API reference, rendered from GET /api/v1/openapi.json: for signed-in users, or anyone with API_DOCS_PUBLIC=true. */
export default async function ApiDocsPage() {
  if (!getEnv().API_DOCS_PUBLIC && !(await currentPageUser())) redirect(`/login?next=${encodeURIComponent(PATH)}`);
  return (
    <main id="main" className="api-docs">
      <header className="api-docs-header">
        <h1>LLM Hub API reference</h1>
        <p>
          Generated from the API&apos;s own request schemas: <a href="/api/v1/openapi.json">openapi.json</a> (OpenAPI 3.1). ·{" "}
          <Link href="/llm-hub">Back to LLM Hub</Link>
        </p>
      </header>
      <ApiReference url="/api/v1/openapi.json" />
    </main>
  );
}
