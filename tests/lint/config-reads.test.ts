import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

// Configuration is read once, validated by one schema (lib/config/env.ts): no other file of the
// app reads the environment itself. instrumentation.ts keeps one read of NEXT_RUNTIME, which Next
// replaces at build time to keep Node-only code out of the edge bundle.
const ALLOWED = new Map([
  ["lib/config/env.ts", /process\.env/],
  ["instrumentation.ts", /process\.env\.NEXT_RUNTIME/],
]);

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && /\.(ts|tsx)$/.test(entry.name))
    .map((entry) => path.relative(process.cwd(), path.join(entry.parentPath, entry.name)));
}

describe("environment reads", () => {
  it("happen only in lib/config/env.ts", () => {
    const files = [
      ...["lib", "app", "db"].flatMap(sourceFiles),
      "proxy.ts",
      "instrumentation.ts",
      "instrumentation-node.ts",
    ];
    const offending = files.flatMap((file) =>
      readFileSync(file, "utf8")
        .split("\n")
        .map((line, index) => ({ line, at: `${file}:${index + 1}` }))
        .filter(({ line }) => /process\.env/.test(line) && !ALLOWED.get(file)?.test(line))
        .map(({ at }) => at),
    );
    expect(files.length).toBeGreaterThan(100);
    expect(offending).toEqual([]);
  });
});
