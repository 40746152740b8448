import type { NextConfig } from "next";

const nextConfig: NextConfig = {
  // A self-contained server in .next/standalone (server.js with only the files it needs), for
  // containers and `npm start`; `npm run build` then copies static assets and migrations beside it.
  output: "standalone",
  // PGlite loads its WebAssembly and data files from its package folder at run time.
  serverExternalPackages: ["@electric-sql/pglite", "pg", "@neondatabase/serverless", "ws"],
  poweredByHeader: false,
  typedRoutes: false,
  // Every response, API included. Pages also get a nonce-based Content-Security-Policy from proxy.ts.
  async headers() {
    return [
      {
        source: "/:path*",
        headers: [
          { key: "X-Content-Type-Options", value: "nosniff" },
          { key: "X-Frame-Options", value: "DENY" },
          // Request URLs name requestIds: nothing of them leaves for another origin.
          { key: "Referrer-Policy", value: "same-origin" },
          // Production is served over https only (two years, as browsers' preload lists expect).
          ...(process.env.NODE_ENV === "production"
            ? [{ key: "Strict-Transport-Security", value: "max-age=63072000; includeSubDomains" }]
            : []),
        ],
      },
    ];
  },
};

export default nextConfig;
