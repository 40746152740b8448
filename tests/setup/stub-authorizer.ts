import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { request as undiciRequest } from "undici";
import { signEnvelope, signJsonPayload, verifyEnvelope, type SignedEnvelope, type TrustedKey } from "@/lib/stepauth";
import { vectors } from "../fixtures/vectors";
export { vectors };
export const authorizerKey = {
  keyId: vectors.keys.authorizer.keyId as string,
  privateKey: vectors.keys.authorizer.privateKey as string,
  publicKey: vectors.keys.authorizer.publicKey as string,
};

export type StubMode = "pending" | "approve" | "deny" | "unavailable" | "unauthorized";

/** An answer the test scripts for one call, instead of the stub's normal behaviour. */
export interface ScriptedAnswer {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

/** Sees every call (1-based `index` over all paths) before the stub answers; may hold it, or answer it itself. */
export type StubIntercept = (call: {
  index: number;
  path: string;
  requestId: string | undefined;
}) => Promise<ScriptedAnswer | undefined> | ScriptedAnswer | undefined;

interface Received {
  requestId: string;
  spId: string;
  callbackUrl?: string;
  expiresAt: string;
  signatureKeyIds: string[];
  /** The exact payload bytes the SP signed (the envelope's base64-decoded payload). */
  payloadBytes: Buffer;
  decision?: object;
}

/**
 * A StepAuth authorizer on 127.0.0.1 for tests. It verifies the SP's signature with the keys it
 * is told to trust (like a real registration), signs decisions with the vectors' authorizer key,
 * and can be told to answer at once, stay pending, fail, or rate-limit.
 */
export async function startStubAuthorizer(
  options: {
    mode?: StubMode;
    trustedSpKeys?: () => TrustedKey[];
    rateLimitFirst?: number;
    retryAfterSeconds?: number;
    /** The 429's Retry-After as sent (an HTTP date, say); wins over retryAfterSeconds. */
    retryAfter?: () => string;
    delayMs?: number;
    deliverDecisions?: boolean;
    intercept?: StubIntercept;
    /** Implement result reports (`POST /v1/authorization-requests/result`); otherwise that path is a plain 404. */
    acceptResults?: boolean;
  } = {},
) {
  const state = {
    mode: options.mode ?? "pending",
    received: new Map<string, Received>(),
    calls: [] as { path: string; status: number; at: number }[],
    cancels: [] as string[],
    /** Verified result report payloads, in arrival order. */
    results: [] as Record<string, unknown>[],
    rateLimitLeft: options.rateLimitFirst ?? 0,
    /** Runs when a cancel arrives, before it is answered (to race a decision against the cancel). */
    onCancel: undefined as ((requestId: string) => Promise<void>) | undefined,
    /** When set, a submission is answered at once with the decision this returns. */
    decideOnSubmit: undefined as ((r: { requestId: string; spId: string }) => SignedEnvelope) | undefined,
    seen: 0,
  };
  const signDecision = (
    r: Received,
    decision: "approved" | "denied" | "expired",
    extra: Record<string, unknown> = {},
  ) =>
    signJsonPayload(
      {
        requestId: r.requestId,
        spId: r.spId,
        decision,
        timestamp: new Date().toISOString().replace(/\.\d+Z$/, "Z"),
        reason: `stub ${decision}`,
        reviewers: [{ type: "human", attributes: [{ key: "email", label: "Email", value: "reviewer@stub.test" }] }],
        ...extra,
      },
      [authorizerKey],
    );

  const answer = (
    res: ServerResponse,
    path: string,
    status: number,
    body: unknown,
    headers: Record<string, string> = {},
  ) => {
    state.calls.push({ path, status, at: Date.now() });
    res.writeHead(status, { "content-type": "application/json", ...headers }).end(JSON.stringify(body));
  };

  const server = createServer(async (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const path = new URL(req.url ?? "/", "http://x").pathname;
    if (options.delayMs) await new Promise((r) => setTimeout(r, options.delayMs));
    if (options.intercept) {
      state.seen += 1;
      const scripted = await options.intercept({ index: state.seen, path, requestId: unverifiedRequestId(chunks) });
      if (scripted) return answer(res, path, scripted.status, scripted.body ?? {}, scripted.headers);
    }
    if (state.rateLimitLeft > 0) {
      state.rateLimitLeft -= 1;
      return answer(
        res,
        path,
        429,
        { error: "rate_limited", message: "slow down" },
        { "retry-after": options.retryAfter?.() ?? String(options.retryAfterSeconds ?? 1) },
      );
    }
    if (state.mode === "unavailable") return answer(res, path, 503, { error: "unavailable", message: "down" });
    let payload: Record<string, unknown>;
    let envelope: { signatures: { keyId: string }[] };
    try {
      envelope = JSON.parse(Buffer.concat(chunks).toString("utf8"));
      payload = verifyEnvelope(envelope, options.trustedSpKeys?.() ?? []).payload;
    } catch {
      return answer(res, path, 401, { error: "invalid_signature", message: "bad SP signature" });
    }
    if (state.mode === "unauthorized") return answer(res, path, 401, { error: "unknown_sp", message: "who are you" });
    const requestId = String(payload.requestId);
    if (path.endsWith("/authorization-requests")) {
      if (state.received.has(requestId)) return answer(res, path, 409, { error: "duplicate_request", message: "seen" });
      const r: Received = {
        requestId,
        spId: String(payload.spId),
        callbackUrl: payload.callbackUrl as string | undefined,
        expiresAt: String(payload.expiresAt),
        signatureKeyIds: envelope.signatures.map((s) => s.keyId),
        payloadBytes: Buffer.from((envelope as unknown as { payload: string }).payload, "base64"),
      };
      state.received.set(requestId, r);
      if (state.decideOnSubmit) {
        r.decision = state.decideOnSubmit(r);
        return answer(res, path, 200, { requestId, status: "decided", decision: r.decision });
      }
      if (state.mode === "approve" || state.mode === "deny") {
        r.decision = signDecision(r, state.mode === "approve" ? "approved" : "denied");
        if (options.deliverDecisions) void deliverWithRetries(r);
        return answer(res, path, 200, { requestId, status: "decided", decision: r.decision });
      }
      return answer(res, path, 202, { requestId, status: "pending" });
    }
    const r = state.received.get(requestId);
    if (path.endsWith("/result") && options.acceptResults) {
      if (!r) return answer(res, path, 404, { error: "unknown_request", message: "unknown" });
      state.results.push(payload);
      return answer(res, path, 200, { requestId, status: "recorded" });
    }
    if (!r) return answer(res, path, 404, { error: "unknown_request", message: "unknown" });
    if (path.endsWith("/poll"))
      return r.decision ? answer(res, path, 200, r.decision) : answer(res, path, 202, { requestId, status: "pending" });
    if (path.endsWith("/cancel")) {
      state.cancels.push(requestId);
      await state.onCancel?.(requestId);
      if (r.decision)
        return answer(res, path, 409, { error: "already_decided", message: "decided", decision: r.decision });
      r.decision = undefined;
      return answer(res, path, 200, { requestId, status: "cancelled" });
    }
    return answer(res, path, 404, { error: "not_found", message: path });
  });
  // Like a real authorizer, keep delivering a decision to the callback URL until the SP answers 2xx or 4xx.
  const deliverWithRetries = async (r: Received) => {
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline && r.callbackUrl) {
      try {
        const response = await undiciRequest(r.callbackUrl, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify(r.decision),
        });
        await response.body.dump();
        if (response.statusCode < 500) return;
      } catch {
        // The SP is down: try again.
      }
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  };
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    state,
    setMode(mode: StubMode) {
      state.mode = mode;
    },
    /** Records a decision (for polls) without calling back. */
    decide(requestId: string, decision: "approved" | "denied" | "expired", extra: Record<string, unknown> = {}) {
      const r = state.received.get(requestId);
      if (!r) throw new Error(`stub never received ${requestId}`);
      r.decision = signDecision(r, decision, extra);
      return r.decision;
    },
    /** Records a decision signed over exactly these payload bytes (e.g. JSON no ordinary serializer writes). */
    decideBytes(
      requestId: string,
      payloadText: (r: { requestId: string; spId: string; timestamp: string }) => string,
    ): SignedEnvelope {
      const r = state.received.get(requestId);
      if (!r) throw new Error(`stub never received ${requestId}`);
      const timestamp = new Date().toISOString().replace(/\.\d+Z$/, "Z");
      const envelope = signAsAuthorizer(payloadText({ requestId, spId: r.spId, timestamp }));
      r.decision = envelope;
      return envelope;
    },
    /** Delivers a decision envelope to the request's callback URL, as the authorizer would. */
    async callBack(requestId: string, envelope?: object) {
      const r = state.received.get(requestId);
      if (!r?.callbackUrl) throw new Error(`no callback URL for ${requestId}`);
      const response = await undiciRequest(r.callbackUrl, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(envelope ?? r.decision),
      });
      return { status: response.statusCode, body: (await response.body.json()) as Record<string, unknown> };
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
function unverifiedRequestId(chunks: Buffer[]): string | undefined {
  try {
    const envelope = JSON.parse(Buffer.concat(chunks).toString("utf8")) as { payload: string };
    return JSON.parse(Buffer.from(envelope.payload, "base64").toString("utf8")).requestId;
  } catch {
    return undefined;
  }
}

export type StubAuthorizer = Awaited<ReturnType<typeof startStubAuthorizer>>;

/** Signs exactly these payload bytes with the stub authorizers' key (for decisions no serializer writes). */
export function signAsAuthorizer(payloadText: string): SignedEnvelope {
  return signEnvelope(new TextEncoder().encode(payloadText), [authorizerKey]);
}
