import { parseArgs } from "node:util";
import { readFileLines, verifyExportLines } from "./verify-export";

// `npm run audit:verify -- --file export.jsonl --public-key <base64 SPKI> [--public-key …]`
// Offline: reads the file and the keys given, nothing else. Exit 0 when the trail verifies, 1 when
// it does not (the report names the first broken entry), 2 on bad usage.
async function main(): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      options: { file: { type: "string" }, "public-key": { type: "string", multiple: true } },
      strict: true,
    }));
  } catch (error) {
    console.error(error instanceof Error ? error.message : String(error));
    return 2;
  }
  const keys = (values["public-key"] ?? []).map((publicKey) => ({ publicKey }));
  if (!values.file || keys.length === 0 || keys.some((k) => !/^[A-Za-z0-9+/]+={0,2}$/.test(k.publicKey))) {
    console.error(
      "usage: npm run audit:verify -- --file export.jsonl --public-key <base64 SPKI> [--public-key <another>]",
    );
    return 2;
  }
  const report = await verifyExportLines(readFileLines(values.file), keys);
  console.log(JSON.stringify(report, null, 2));
  return report.ok ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : String(error));
    process.exit(2);
  },
);
