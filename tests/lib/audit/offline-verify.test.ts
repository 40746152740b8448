import { execFile } from "node:child_process";
import { mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterEach, describe, expect, it } from "vitest";
import { listSigningKeys } from "@/db/queries/signing-keys";
import { exportRequests } from "@/lib/console/request-export";
import { auditWorld, sealTenant } from "../../setup/audit-world";
import { setupTestDatabase } from "../../setup/database";
import { setupAppServer } from "../../setup/gateway";

const db = setupTestDatabase();
const appUrl = setupAppServer();
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(cleanups.splice(0).map((c) => c()));
});

// The CLI as an auditor runs it: its own process, the file and the public key, no database.
async function runCli(file: string, publicKey: string) {
  try {
    const { stdout } = await promisify(execFile)(
      "npx",
      ["tsx", "lib/audit-chain/verify-cli.ts", "--file", file, "--public-key", publicKey],
      { env: { PATH: process.env.PATH ?? "", NODE_ENV: "test" } },
    );
    return { code: 0, report: JSON.parse(stdout) };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, report: failed.stdout ? JSON.parse(failed.stdout) : null, stderr: failed.stderr };
  }
}

describe("npm run audit:verify: the offline verifier", () => {
  it("accepts a real export and names the entry when one byte of it is changed", async () => {
    const world = await auditWorld(db(), appUrl(), 3);
    cleanups.push(world.close);
    await sealTenant(db(), world.tenant.tenantId);
    const text = await new Response(await exportRequests(db(), world.tenant.ctx, {}, "jsonl")).text();
    const dir = await mkdtemp(join(tmpdir(), "audit-export-"));
    const file = join(dir, "export.jsonl");
    await writeFile(file, text);
    const [key] = await listSigningKeys(db(), world.tenant.ctx);

    const good = await runCli(file, key!.publicKey);
    expect(good).toMatchObject({ code: 0, report: { ok: true, checkpointsChecked: 1 } });
    expect(good.report.entriesChecked).toBeGreaterThan(10);

    // One byte: the "approved" in the first decision event becomes "bpproved".
    const lines = (await readFile(file, "utf8")).split("\n");
    const at = lines.findIndex((l) => l.includes('"type":"decision_accepted"'));
    const entryId = JSON.parse(lines[at]!).id as string;
    lines[at] = lines[at]!.replace('"decision":"approved"', '"decision":"bpproved"');
    const tampered = join(dir, "tampered.jsonl");
    await writeFile(tampered, lines.join("\n"));
    expect(Buffer.byteLength(lines.join("\n"))).toBe(Buffer.byteLength(text));
    const bad = await runCli(tampered, key!.publicKey);
    expect(bad).toMatchObject({
      code: 1,
      report: {
        ok: false,
        firstFailure: { id: entryId, kind: "request_event", why: expect.stringContaining("edited") },
      },
    });

    // A request record edited in the file (or exported from an edited row) disagrees with its sealed timeline.
    const rows = text.split("\n");
    const row = rows.findIndex(
      (l) => l.startsWith('{"t":"request"') && l.includes(`"requestId":"${world.requestIds[1]}"`),
    );
    rows[row] = rows[row]!.replace('"status":"approved"', '"status":"denied"');
    const edited = join(dir, "edited-row.jsonl");
    await writeFile(edited, rows.join("\n"));
    const rowReport = await runCli(edited, key!.publicKey);
    expect(rowReport).toMatchObject({
      code: 1,
      report: {
        ok: false,
        firstFailure: { id: world.requestIds[1], kind: "request", why: expect.stringContaining("sealed timeline") },
      },
    });

    // Another tenant's key does not verify the checkpoint.
    const other = await auditWorld(db(), appUrl(), 0);
    cleanups.push(other.close);
    const [otherKey] = await listSigningKeys(db(), other.tenant.ctx);
    expect(await runCli(file, otherKey!.publicKey)).toMatchObject({
      code: 1,
      report: { firstFailure: { id: "checkpoint:1", why: expect.stringContaining("signature") } },
    });
    expect((await runCli(file, "")).code).toBe(2);
  }, 150_000); // five runs of the CLI, each its own Node process
});
