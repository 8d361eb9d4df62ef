// Pages only: a Content-Security-Policy with a fresh nonce per request, which Next reads from the
// request's own CSP header and puts on every script it renders. The API's security headers are
// static (next.config.ts), so API requests never run this.
import { type NextRequest, NextResponse } from "next/server";
import { forwardedHttps, pageCsp } from "@/lib/api/security-headers";
import { getEnv } from "@/lib/env";

export function proxy(req: NextRequest) {
  const nonce = Buffer.from(crypto.getRandomValues(new Uint8Array(16))).toString("base64");
  const csp = pageCsp(nonce, { https: forwardedHttps(req.headers), dev: getEnv().NODE_ENV === "development" });
  const headers = new Headers(req.headers);
  headers.set("content-security-policy", csp);
  const res = NextResponse.next({ request: { headers } });
  res.headers.set("Content-Security-Policy", csp);
  return res;
}

export const config = {
  matcher: [
    {
      // static files of public/ (the app icons) are not pages: they keep the static policy
      source: "/((?!api(?:/|$)|_next/static/|_next/image|favicon\\.(?:ico|svg)$|favicon-\\d+x\\d+\\.png$|apple-touch-icon\\.png$|icon-[\\w-]+\\.png$|site\\.webmanifest$).*)",
      missing: [
        // A request with a body (a server action, a form POST) skips the proxy: Next would copy the
        // whole body for it before the action's own size limit applies. It keeps the static policy,
        // which lets nothing run; an action's answer is data, not a page.
        { type: "header", key: "content-length" },
        { type: "header", key: "transfer-encoding" },
        // prefetches are data for later navigations, never rendered as documents
        { type: "header", key: "next-router-prefetch" },
        { type: "header", key: "purpose", value: "prefetch" },
      ],
    },
  ],
};
