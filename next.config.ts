import type { NextConfig } from "next";

const nextConfig: NextConfig = {
  poweredByHeader: false,
  // A second build directory lets a benchmark or fault run use its own build beside the test one.
  distDir: process.env.NEXT_DIST_DIR || ".next",
  // Native/WASM and connection-pool packages load with plain Node require at run time.
  serverExternalPackages: ["@electric-sql/pglite", "postgres", "ioredis"],
};

export default nextConfig;
