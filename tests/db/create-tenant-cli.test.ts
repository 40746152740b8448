import { execFile } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import { createDatabase } from "@/db/client";
import { findMembershipRole } from "@/db/queries/users";
import { acceptInvitation } from "@/lib/auth/onboarding";
import { AppError } from "@/lib/errors/app-error";

// `npm run tenant:create` as an operator runs it: a child process on its own throw-away PGlite folder.
const dir = mkdtempSync(path.join(tmpdir(), "stepauth-tenant-create-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function runCli(args: string[]) {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PGLITE_DATA_DIR: path.join(dir, "pglite"),
    AUTH_URL: "https://console.example.test/",
  };
  delete env.DATABASE_URL;
  return promisify(execFile)(process.execPath, ["--import", "tsx", "db/create-tenant-cli.ts", ...args], {
    env,
    encoding: "utf8",
  });
}

describe("npm run tenant:create", () => {
  it("creates a tenant and prints a one-time owner link that works", { timeout: 120_000 }, async () => {
    const { stdout } = await runCli(["--name", "Globex Corp", "--owner-email", "Ops@Globex.example"]);
    const link = stdout.match(/https:\/\/console\.example\.test\/invite\/([A-Za-z0-9_-]{43})\s*$/m);
    expect(link, stdout).not.toBeNull();
    const tenantId = stdout.match(/\(([0-9a-f-]{36})\)/)![1]!;

    const handle = createDatabase("", path.join(dir, "pglite"));
    try {
      const owner = await acceptInvitation(handle.db, link![1]!, {
        kind: "new_account",
        name: "Olga Ops",
        password: "olga-own-password",
      });
      expect(owner).toMatchObject({ tenantId, email: "ops@globex.example" });
      expect(await findMembershipRole(handle.db, tenantId, owner.userId)).toBe("owner");
      const again = await acceptInvitation(handle.db, link![1]!, {
        kind: "new_account",
        name: "X",
        password: "another-password",
      }).catch((e: unknown) => e);
      expect((again as AppError).code).toBe("invalid_invitation");
    } finally {
      await handle.close();
    }
  });

  it("refuses to run without a name and an owner e-mail", { timeout: 60_000 }, async () => {
    const failed = await runCli(["--name", "No Owner"]).then(
      () => null,
      (e: { code: number; stderr: string }) => e,
    );
    expect(failed?.code).toBe(2);
    expect(failed?.stderr).toContain("usage: npm run tenant:create");
  });
});
