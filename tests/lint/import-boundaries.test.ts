import { ESLint } from "eslint";
import { describe, expect, it } from "vitest";

// The framework-free modules' import rules (eslint.config.mjs), proven to fire on planted violations.
const eslint = new ESLint({ cwd: process.cwd() });

async function restrictedImports(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return result!.messages
    .filter((m) => m.ruleId === "no-restricted-imports" || m.ruleId === "no-restricted-properties")
    .map((m) => m.message);
}

describe("import boundaries of framework-free modules", () => {
  it.each([
    ['import { getDb } from "@/db/client";', "the database"],
    ['import { NextResponse } from "next/server";', "Next"],
    ['import { useState } from "react";', "React"],
    ['import { sql } from "drizzle-orm";', "Drizzle"],
    ['import { AppError } from "@/lib/errors/app-error";', "the app through the @ alias"],
    ['import { runJob } from "../gateway/job-runner";', "the gateway by a relative path"],
  ])(
    "lib/client refuses %s (%s)",
    async (code) => {
      const messages = await restrictedImports("lib/client/planted.ts", `${code}\nexport const planted = 1;\n`);
      expect(messages).toHaveLength(1);
    },
    60_000,
  );

  it("lib/client refuses process.env", async () => {
    expect(
      await restrictedImports("lib/client/planted.ts", "export const url = process.env.GATEWAY_URL;\n"),
    ).toHaveLength(1);
  }, 60_000);

  it("lib/client may use the protocol core, the API's error codes, zod and node:crypto", async () => {
    const code = [
      'import { z } from "zod";',
      'import { createHmac } from "node:crypto";',
      'import { backoffDelayMs } from "../stepauth/retry";',
      'import type { AppErrorCode } from "../errors/app-error";',
      "export const used = [z, createHmac, backoffDelayMs] as const;",
      "export type Code = AppErrorCode;",
    ].join("\n");
    expect(await restrictedImports("lib/client/planted.ts", code)).toEqual([]);
  }, 60_000);

  it("lib/stepauth refuses the database and Next, and the same import is fine outside both", async () => {
    expect(
      await restrictedImports(
        "lib/stepauth/planted.ts",
        'import { getDb } from "@/db/client";\nexport const db = getDb;\n',
      ),
    ).toHaveLength(1);
    expect(
      await restrictedImports(
        "lib/stepauth/planted.ts",
        'import { NextResponse } from "next/server";\nexport const r = NextResponse;\n',
      ),
    ).toHaveLength(1);
    expect(
      await restrictedImports(
        "lib/gateway/planted.ts",
        'import { getDb } from "@/db/client";\nexport const db = getDb;\n',
      ),
    ).toEqual([]);
  }, 60_000);
});
