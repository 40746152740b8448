import nextVitals from "eslint-config-next/core-web-vitals";
import nextTs from "eslint-config-next/typescript";

const config = [
  ...nextVitals,
  ...nextTs,
  { ignores: [".next/**", ".data/**", "node_modules/**", "next-env.d.ts", "drizzle/**"] },
  {
    // Tenant isolation: only lib/auth (and the seeder, which creates the tenant) may mint a TenantContext.
    files: ["**/*.ts", "**/*.tsx"],
    ignores: ["lib/auth/**", "db/seed.ts", "tests/**"],
    rules: {
      "no-restricted-syntax": [
        "error",
        {
          selector: "ImportSpecifier[imported.name='issueTenantContext']",
          message: "Only lib/auth issues TenantContexts (STYLE.md rule 6).",
        },
      ],
    },
  },
  {
    // The protocol core could be published on its own: no framework, no database, no environment.
    files: ["lib/stepauth/**"],
    rules: {
      "no-restricted-imports": ["error", { patterns: ["next", "next/*", "@/db/*", "@/lib/*", "../*"] }],
      "no-restricted-properties": [
        "error",
        { object: "process", property: "env", message: "The protocol core takes configuration as arguments." },
      ],
    },
  },
  {
    // The service client ships to SP services: no framework, no database, no environment. It may use
    // the protocol core and the API's error-code table, nothing else of the app.
    files: ["lib/client/**"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              group: [
                "next",
                "next/*",
                "next-auth",
                "next-auth/*",
                "react",
                "react/*",
                "react-dom",
                "react-dom/*",
                "drizzle-orm",
                "drizzle-orm/*",
                "pg",
                "@electric-sql/*",
                "@neondatabase/*",
                "@/*",
              ],
              message:
                "lib/client is framework-free: zod, node:crypto, the protocol core (../stepauth) and the API's error codes only.",
            },
            {
              regex: "^\\.\\./(?!stepauth/|errors/app-error$)",
              message: "lib/client may import only ../stepauth/* and ../errors/app-error from the rest of the app.",
            },
          ],
        },
      ],
      "no-restricted-properties": [
        "error",
        { object: "process", property: "env", message: "The service client takes configuration as arguments." },
      ],
    },
  },
  // Tests read JSON answers loosely and assert on them.
  { files: ["tests/**"], rules: { "@typescript-eslint/no-explicit-any": "off" } },
  {
    rules: {
      "@typescript-eslint/no-unused-vars": [
        "error",
        { argsIgnorePattern: "^_", varsIgnorePattern: "^_", destructuredArrayIgnorePattern: "^_" },
      ],
    },
  },
  {
    // Layers: protocol core (lib/stepauth) → domain (lib/gateway, lib/sandbox, lib/jobs, lib/console)
    // → data (db/), with no edge back. The gateway and the sandbox talk over HTTP only, and the job
    // runner is neutral: both register their job kinds with it. import/no-restricted-paths resolves
    // the @/ alias and relative paths alike, and its rule id stays apart from no-restricted-imports.
    files: ["lib/**/*.ts", "lib/**/*.tsx"],
    rules: {
      "import/no-restricted-paths": [
        "error",
        {
          basePath: import.meta.dirname,
          zones: [
            {
              target: "./lib/jobs",
              from: ["./lib/gateway", "./lib/sandbox"],
              message: "lib/jobs is a neutral runner: the gateway and the sandbox register their job kinds with it.",
            },
            {
              target: "./lib/gateway",
              from: ["./lib/sandbox"],
              message: "The gateway reaches the sandbox over HTTP only, like any authorizer.",
            },
            {
              target: "./lib/sandbox",
              from: ["./lib/gateway"],
              message: "The sandbox reaches the gateway over HTTP only, like any authorizer.",
            },
          ],
        },
      ],
    },
  },
  {
    // The data layer imports no layer above it. The demo seeder (db/seed.ts) connects the sandbox
    // authorizer: it composes the domain for `npm run dev`, and belongs beside lib/demo.
    files: ["db/**/*.ts"],
    ignores: ["db/seed.ts"],
    rules: {
      "import/no-restricted-paths": [
        "error",
        {
          basePath: import.meta.dirname,
          zones: [
            {
              target: "./db",
              from: ["./lib/gateway", "./lib/sandbox", "./lib/jobs", "./lib/console", "./lib/http", "./app"],
              message: "db/ is the data layer: it may not import the domain, the HTTP layer or app/.",
            },
          ],
        },
      ],
    },
  },
];

export default config;
