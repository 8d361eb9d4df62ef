import type { NextConfig } from "next";

const nextConfig: NextConfig = {
  poweredByHeader: false,
  // Native/WASM and connection-pool packages load with plain Node require at run time.
  serverExternalPackages: ["@electric-sql/pglite", "postgres", "ioredis"],
};

export default nextConfig;
