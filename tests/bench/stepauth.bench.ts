/**
 * StepAuth core benchmarks: each operation beside its raw baseline, measured in the same run on
 * one core, with the target ratio and whether it is met.
 */
import { sign, verify } from "node:crypto";
import { signEnvelope, verifyEnvelope } from "../../lib/stepauth/envelope";
import { importPrivateKey, importPublicKey } from "../../lib/stepauth/keys";
import { flattenAuthorizationRequest } from "../../lib/stepauth/flatten";
import { parseAuthorizationRequest } from "../../lib/stepauth/request-schema";
import { compileRoutingScript, evaluateRoutingScript, routeFlattenedRequest } from "../../lib/stepauth/routing";
import { vectors } from "../fixtures/vectors";

const MEASURE_MS = 1500;
const ROUNDS = 3;

/** Operations per second of `fn`, best of interleaved rounds after a warm-up. */
function opsPerSecond(fn: () => unknown, budgetMs: number): number {
  let calls = 0;
  const started = performance.now();
  let elapsed = 0;
  while (elapsed < budgetMs) {
    for (let i = 0; i < 200; i++) fn();
    calls += 200;
    elapsed = performance.now() - started;
  }
  return (calls / elapsed) * 1000;
}

/** Measures a subject and its baseline alternately so drift affects both alike. */
function compare(subject: () => unknown, baseline: () => unknown): { subject: number; baseline: number } {
  opsPerSecond(subject, 200);
  opsPerSecond(baseline, 200);
  let best = { subject: 0, baseline: 0 };
  for (let round = 0; round < ROUNDS; round++) {
    const s = opsPerSecond(subject, MEASURE_MS / ROUNDS);
    const b = opsPerSecond(baseline, MEASURE_MS / ROUNDS);
    best = { subject: Math.max(best.subject, s), baseline: Math.max(best.baseline, b) };
  }
  return best;
}

interface Row {
  operation: string;
  "ops/s": string;
  baseline: string;
  "baseline ops/s": string;
  ratio: string;
  target: string;
  met: string;
}

function row(
  operation: string,
  baselineName: string,
  target: number,
  measured: { subject: number; baseline: number },
): Row {
  const ratio = measured.subject / measured.baseline;
  return {
    operation,
    "ops/s": Math.round(measured.subject).toLocaleString("en-US"),
    baseline: baselineName,
    "baseline ops/s": Math.round(measured.baseline).toLocaleString("en-US"),
    ratio: ratio.toFixed(2),
    target: target > 0 ? `≥ ${target.toFixed(2)}` : "—",
    met: target > 0 ? (ratio >= target ? "yes" : "NO") : "—",
  };
}

/**
 * Runs the StepAuth benchmarks and prints a table.
 *
 * @example
 * ```ts
 * await runStepauthBenchmarks();
 * ```
 */
export async function runStepauthBenchmarks(): Promise<void> {
  const { sp } = vectors.keys;
  // A 2,048-byte JSON object payload.
  const shell = JSON.stringify({ requestId: "req_bench0000000000000000", pad: "" });
  const payloadBytes = new TextEncoder().encode(
    JSON.stringify({ requestId: "req_bench0000000000000000", pad: "x".repeat(2048 - shell.length) }),
  );
  const signers = [{ keyId: sp.keyId, privateKey: sp.privateKey }];
  const trusted = [{ keyId: sp.keyId, publicKey: sp.publicKey }];
  const privateKey = importPrivateKey(sp.privateKey);
  const publicKey = importPublicKey(sp.publicKey);
  const envelope = signEnvelope(payloadBytes, signers);
  const rawSignature = sign(null, payloadBytes, privateKey);
  const rows: Row[] = [];

  rows.push(
    row(
      `envelope sign (${payloadBytes.length} B)`,
      "crypto.sign",
      0.9,
      compare(
        () => signEnvelope(payloadBytes, signers),
        () => sign(null, payloadBytes, privateKey),
      ),
    ),
  );
  rows.push(
    row(
      "envelope verify",
      "crypto.verify",
      0.9,
      compare(
        () => verifyEnvelope(envelope, trusted),
        () => verify(null, payloadBytes, publicKey, rawSignature),
      ),
    ),
  );

  const request = parseAuthorizationRequest(vectors.authorizationRequest.payload);
  const flat = flattenAuthorizationRequest(request);
  const guideScripts: Array<[string, string, string[]]> = [
    [
      "category",
      'request.action.category.startsWith("infra.") ? ["security-team"] : ["default"]',
      ["default", "security-team"],
    ],
    [
      "principal type",
      'request.principal.type == "agent" ? ["primary", "backup"] : ["primary"]',
      ["primary", "backup"],
    ],
    [
      "department",
      'request.principal.operator.attributes.department == "Finance" ? ["finance-authorizer"] : ["default"]',
      ["default", "finance-authorizer"],
    ],
  ];
  for (const [name, script, authorizers] of guideScripts) {
    const config = { authorizers, default: authorizers[0] as string };
    const compiled = compileRoutingScript(script);
    if (!compiled.ok) throw new Error(`guide script failed to compile: ${compiled.message}`);
    const bare = () => compiled.evaluate({ request: flat, config });
    rows.push(
      row(
        `route (${name}), flattened input`,
        "bare CEL eval",
        0,
        compare(() => routeFlattenedRequest(script, flat, config), bare),
      ),
    );
    rows.push(
      row(
        `flatten + route (${name})`,
        "bare CEL eval",
        0.5,
        compare(() => evaluateRoutingScript(script, request, config), bare),
      ),
    );
    rows.push(
      row(
        `full flatten + route (${name})`,
        "bare CEL eval",
        0,
        compare(() => routeFlattenedRequest(script, flattenAuthorizationRequest(request), config), bare),
      ),
    );
  }
  console.log("StepAuth core benchmarks (one core, ops/s, best of interleaved rounds)");
  console.table(rows);
}
