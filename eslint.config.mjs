import nextVitals from "eslint-config-next/core-web-vitals";
import nextTs from "eslint-config-next/typescript";

const sqlOnlyInDb = 'SQL is written in db/ only: call (or add) a function in db/queries/ (README.md, "Architecture").';

// Each minting function of lib/auth, and the one place outside lib/auth allowed to call it.
const minters = {
  issueTenantContext: [],
  jobContext: ["lib/jobs/job-runner.ts"],
  expiryContext: ["lib/gateway/expiry.ts"],
  authorizerCallbackContext: ["lib/gateway/callback.ts"],
};
// The seeder creates the tenants it then fills; tests build contexts for their fixtures.
const mintingExempt = ["lib/auth/**", "tests/**", "db/seed.ts"];

/** One no-restricted-syntax config per file set (a later config's options replace an earlier one's). */
function tenantContextMinting() {
  const refuse = (allowedHere) =>
    Object.keys(minters)
      .filter((name) => !allowedHere.includes(name))
      .map((name) => ({
        selector: `ImportSpecifier[imported.name='${name}']`,
        message: `Only lib/auth mints TenantContexts (README.md, "Architecture")${minters[name].length ? `; ${name} is for ${minters[name].join(", ")}` : ""}.`,
      }));
  const namespace = {
    selector: "ImportDeclaration[source.value=/lib\\/auth\\/(tenant|system)-context$/] > ImportNamespaceSpecifier",
    message: "Import TenantContext helpers by name, so the minting rule can see them.",
  };
  const callers = [...new Set(Object.values(minters).flat())];
  return [
    {
      files: ["**/*.ts", "**/*.tsx"],
      ignores: [...mintingExempt, ...callers],
      rules: { "no-restricted-syntax": ["error", ...refuse([]), namespace] },
    },
    ...callers.map((file) => ({
      files: [file],
      rules: {
        "no-restricted-syntax": [
          "error",
          ...refuse(Object.keys(minters).filter((name) => minters[name].includes(file))),
          namespace,
        ],
      },
    })),
  ];
}

const config = [
  ...nextVitals,
  ...nextTs,
  { ignores: [".next/**", ".data/**", "node_modules/**", "next-env.d.ts", "drizzle/**"] },
  // Tenant isolation: only lib/auth mints a TenantContext. Its system contexts name their tenant only from
  // a row db/ returned, and each has the one caller it exists for (lib/auth/system-context.ts).
  ...tenantContextMinting(),
  {
    // Every SQL statement lives in db/ (db/queries/<entity>.ts, tenant-scoped; db/queries/system/ for the
    // deliberate cross-tenant ones), so a reviewer finds every query, and its tenant condition, in one place.
    // Outside db/: the query functions, the database handle and schema *types* only. Exempt: tests/ (they
    // plant and inspect rows directly to check what the code wrote) and drizzle.config.ts (drizzle-kit's).
    files: ["**/*.ts", "**/*.tsx"],
    ignores: ["db/**", "tests/**", "drizzle.config.ts"],
    rules: {
      "@typescript-eslint/no-restricted-imports": [
        "error",
        {
          // Regexes, so a relative specifier (../../db/statement) is caught like the @/ alias.
          patterns: [
            { regex: "(^|/)db/(statement|row-from-json|queries/tenant-scope)$", message: sqlOnlyInDb },
            {
              regex: "(^|/)db/queries/system-rows$",
              importNames: ["markRowsRead"],
              message: "Only db/ marks rows as read from the database (lib/auth/system-context.ts trusts the mark).",
            },
            { group: ["drizzle-orm", "drizzle-orm/**"], message: sqlOnlyInDb },
            {
              group: ["@/db/schema", "@/db/schema/**"],
              allowTypeImports: true,
              message: `${sqlOnlyInDb} Schema types are fine (import type); enum value lists are in @/db/enum-values.`,
            },
          ],
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
    // Layers: protocol core (lib/stepauth) → domain (lib/gateway, lib/sandbox, lib/jobs, lib/console…)
    // → data (db/), with no edge back; the HTTP layer (lib/http, app/) sits on top and calls into them.
    // The gateway and the sandbox talk over HTTP only, and the job runner is neutral: both register
    // their job kinds with it. import/no-restricted-paths resolves the @/ alias and relative paths
    // alike, and its rule id stays apart from no-restricted-imports.
    files: ["lib/**/*.ts", "lib/**/*.tsx"],
    rules: {
      "import/no-restricted-paths": [
        "error",
        {
          basePath: import.meta.dirname,
          zones: [
            {
              // Every lib/ module but lib/http's own (the globs also catch a file directly under lib/).
              target: ["./lib/*", "./lib/!(http)/**"],
              from: ["./lib/http", "./app"],
              message:
                "The HTTP layer (lib/http, app/) calls into lib/, never the reverse: move what both need below it.",
            },
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
