import { execFileSync } from "node:child_process";
import { describe, expect, it } from "vitest";

describe("repository hygiene", () => {
  it("tracks no secrets, local data or env files", () => {
    let files: string[];
    try {
      files = execFileSync("git", ["ls-files"], { encoding: "utf8" }).split("\n");
    } catch {
      return; // not a git checkout (e.g. an unpacked tarball): nothing is tracked
    }
    expect(files.length).toBeGreaterThan(10);
    const offending = files.filter(
      (f) => /(^|\/)\.data\/|(^|\/)\.env($|\.)|\.pem$|(^|\/)demo\.json$/.test(f) && !f.endsWith(".env.example"),
    );
    expect(offending).toEqual([]);
  });
});
