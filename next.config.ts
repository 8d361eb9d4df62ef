import type { NextConfig } from "next";

const nextConfig: NextConfig = {
  poweredByHeader: false,
  // A second build directory lets a benchmark or fault run use its own build beside the test one.
  distDir: process.env.NEXT_DIST_DIR || ".next",
  // ... and its own TypeScript project (bench/tsconfig.build.json), so that such a build neither
  // rewrites tsconfig.json for its directory nor type-checks test files.
  typescript: { tsconfigPath: process.env.NEXT_TSCONFIG_PATH || "tsconfig.json" },
  // Native/WASM and connection-pool packages load with plain Node require at run time.
  serverExternalPackages: ["@electric-sql/pglite", "postgres", "ioredis"],
};

export default nextConfig;
