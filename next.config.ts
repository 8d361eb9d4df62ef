import type { NextConfig } from "next";
import { HSTS, HTTPS_FORWARDED_PROTO, SECURITY_HEADERS } from "./lib/api/security-headers";

const nextConfig: NextConfig = {
  poweredByHeader: false,
  // A second build directory lets a benchmark or fault run use its own build beside the test one.
  distDir: process.env.NEXT_DIST_DIR || ".next",
  // ... and its own TypeScript project (bench/tsconfig.build.json), so that such a build neither
  // rewrites tsconfig.json for its directory nor type-checks test files.
  typescript: { tsconfigPath: process.env.NEXT_TSCONFIG_PATH || "tsconfig.json" },
  // Native/WASM and connection-pool packages load with plain Node require at run time.
  serverExternalPackages: ["@electric-sql/pglite", "postgres", "ioredis"],
  // Server actions take the same small bodies as the API's JSON routes, and get the same 64 KiB limit
  // (lib/api/body.ts); Next counts the bytes as they stream.
  experimental: { serverActions: { bodySizeLimit: "64kb" } },
  // Static security headers on every response; pages replace the CSP with one carrying a nonce (proxy.ts).
  async headers() {
    return [
      { source: "/:path*", headers: SECURITY_HEADERS },
      { source: "/:path*", has: [{ type: "header", key: "x-forwarded-proto", value: HTTPS_FORWARDED_PROTO }], headers: [HSTS] },
    ];
  },
};

export default nextConfig;
