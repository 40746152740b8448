import { ESLint } from "eslint";
import { describe, expect, it } from "vitest";

// The data-layer and tenant-context rules of eslint.config.mjs, proven to fire on planted violations
// and to stay quiet on what they allow.
const eslint = new ESLint({ cwd: process.cwd() });

async function messagesOf(filePath: string, code: string, ruleId: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return result!.messages.filter((m) => m.ruleId === ruleId).map((m) => m.message);
}

const sqlRule = "@typescript-eslint/no-restricted-imports";
const mintRule = "no-restricted-syntax";

describe("SQL is written in db/ only", () => {
  it.each([
    ['import { eq } from "drizzle-orm";', "drizzle-orm"],
    ['import { PgDialect } from "drizzle-orm/pg-core";', "a drizzle-orm subpath"],
    ['import type { SQL } from "drizzle-orm";', "even a drizzle-orm type"],
    ['import { jobs } from "@/db/schema";', "a schema table"],
    ['import { jobs, type Job } from "@/db/schema";', "a table beside a type"],
    ['import { sandboxRequests } from "@/db/schema/sandbox-authorizer";', "a schema subpath value"],
    ['import { tenantStatement } from "@/db/statement";', "the statement helper"],
    ['import { forTenant } from "@/db/queries/tenant-scope";', "the tenant-scope helper"],
    ['import { rowFromJson } from "@/db/row-from-json";', "the row decoder"],
    ['import { markRowsRead } from "@/db/queries/system-rows";', "the system-row mark"],
    ['import { markRowsRead } from "../../db/queries/system-rows";', "the system-row mark, imported relatively"],
    ['import { tenantStatement } from "../../db/statement";', "the statement helper, imported relatively"],
  ])(
    "lib/sandbox refuses %s (%s)",
    async (code) => {
      const messages = await messagesOf("lib/sandbox/planted.ts", `${code}\nexport const planted = 1;\n`, sqlRule);
      expect(messages).toHaveLength(1);
    },
    60_000,
  );

  it("allows schema types, query functions and the enum value lists outside db/", async () => {
    const code = [
      'import type { Job, SandboxRequest } from "@/db/schema";',
      'import { type Authorizer } from "@/db/schema";',
      'import { listSandboxInbox } from "@/db/queries/sandbox-requests";',
      'import { rowTenantAtRead } from "@/db/queries/system-rows";',
      'import { memberRoles } from "@/db/enum-values";',
      "export type Planted = Job | SandboxRequest | Authorizer;",
      "export const used = [listSandboxInbox, rowTenantAtRead, memberRoles] as const;",
    ].join("\n");
    expect(await messagesOf("lib/console/planted.ts", code, sqlRule)).toEqual([]);
  }, 60_000);

  it("lets db/ itself write SQL", async () => {
    const code =
      'import { eq } from "drizzle-orm";\nimport { jobs } from "@/db/schema";\nexport const c = eq(jobs.id, 1);\n';
    expect(await messagesOf("db/queries/planted.ts", code, sqlRule)).toEqual([]);
  }, 60_000);
});

describe("only lib/auth mints a TenantContext", () => {
  it.each([
    ["lib/sandbox/planted.ts", 'import { issueTenantContext } from "@/lib/auth/tenant-context";'],
    ["lib/gateway/planted.ts", 'import { jobContext } from "@/lib/auth/system-context";'],
    ["lib/jobs/planted.ts", 'import { authorizerCallbackContext } from "@/lib/auth/system-context";'],
    ["lib/gateway/jobs.ts", 'import { expiryContext } from "@/lib/auth/system-context";'],
    ["lib/jobs/job-runner.ts", 'import { expiryContext } from "@/lib/auth/system-context";'],
    ["lib/jobs/job-runner.ts", 'import { issueTenantContext } from "@/lib/auth/tenant-context";'],
    ["lib/console/planted.ts", 'import * as contexts from "@/lib/auth/system-context";'],
  ])(
    "%s refuses %s",
    async (filePath, code) => {
      expect(await messagesOf(filePath, `${code}\nexport const planted = 1;\n`, mintRule)).toHaveLength(1);
    },
    60_000,
  );

  it("lets each system context's one caller use it, and anyone read a context's type", async () => {
    const jobs = 'import { jobContext } from "@/lib/auth/system-context";\nexport const c = jobContext;\n';
    expect(await messagesOf("lib/jobs/job-runner.ts", jobs, mintRule)).toEqual([]);
    const callback =
      'import { authorizerCallbackContext } from "@/lib/auth/system-context";\nexport const c = authorizerCallbackContext;\n';
    expect(await messagesOf("lib/gateway/callback.ts", callback, mintRule)).toEqual([]);
    const expiry = 'import { expiryContext } from "@/lib/auth/system-context";\nexport const c = expiryContext;\n';
    expect(await messagesOf("lib/gateway/expiry.ts", expiry, mintRule)).toEqual([]);
    const typeOnly =
      'import type { TenantContext } from "@/lib/auth/tenant-context";\nexport type C = TenantContext;\n';
    expect(await messagesOf("lib/sandbox/planted.ts", typeOnly, mintRule)).toEqual([]);
  }, 60_000);
});
