import { ESLint } from "eslint";
import { describe, expect, it } from "vitest";

// The layering rules (the last blocks of eslint.config.mjs): protocol core → domain → data, no edge
// back. Each is proven to fire on a planted import, by the @/ alias and by a relative path.
const eslint = new ESLint({ cwd: process.cwd() });

async function layeringViolations(filePath: string, importPath: string): Promise<string[]> {
  const code = `import * as planted from "${importPath}";\nexport const used = planted;\n`;
  const [result] = await eslint.lintText(code, { filePath });
  return result!.messages.filter((m) => m.ruleId === "import/no-restricted-paths").map((m) => m.message);
}

describe("layering lint rules", () => {
  it.each([
    ["db/planted.ts", "@/lib/gateway/finalize"],
    ["db/queries/planted.ts", "../../lib/gateway/finalize"],
    ["db/planted.ts", "@/lib/sandbox/deliveries"],
    ["db/planted.ts", "@/lib/jobs/job-runner"],
    ["db/planted.ts", "@/lib/console/queries"],
    ["db/planted.ts", "@/lib/http/api-route"],
    ["db/queries/system/planted.ts", "@/app/api/health/route"],
    ["lib/jobs/planted.ts", "@/lib/gateway/finalize"],
    ["lib/jobs/planted.ts", "../sandbox/deliveries"],
    ["lib/gateway/planted.ts", "@/lib/sandbox/deliveries"],
    ["lib/gateway/planted.ts", "../sandbox/connect"],
    ["lib/sandbox/planted.ts", "@/lib/gateway/finalize"],
    ["lib/sandbox/planted.ts", "../gateway/tenant-runtime"],
    ["lib/console/planted.ts", "@/lib/http/params"],
    ["lib/sandbox/planted.ts", "../http/api-route"],
    ["lib/auth/planted.ts", "@/app/api/health/route"],
    ["lib/net/planted.ts", "../../app/api/health/route"],
    ["lib/planted.ts", "@/lib/http/json-body"],
  ])(
    "%s may not import %s",
    async (filePath, importPath) => {
      expect(await layeringViolations(filePath, importPath)).toHaveLength(1);
    },
    60_000,
  );

  it.each([
    ["db/planted.ts", "@/lib/config/env"],
    ["db/planted.ts", "@/lib/auth/tenant-context"],
    ["lib/jobs/planted.ts", "@/db/queries/jobs"],
    ["lib/gateway/planted.ts", "@/lib/jobs/job-runner"],
    ["lib/sandbox/planted.ts", "../jobs/job-runner"],
    ["app/api/planted/route.ts", "@/lib/sandbox/deliveries"],
    ["lib/http/planted.ts", "@/lib/http/params"],
    ["lib/http/routes/planted.ts", "../api-route"],
    ["lib/http/planted.ts", "@/lib/query-input/request-list"],
    ["lib/console/planted.ts", "@/lib/query-input/storable-instant"],
  ])(
    "%s may import %s",
    async (filePath, importPath) => {
      expect(await layeringViolations(filePath, importPath)).toEqual([]);
    },
    60_000,
  );
});
