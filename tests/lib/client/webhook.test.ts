import { describe, expect, it } from "vitest";
import { Webhook } from "standardwebhooks";
import { createClient, isStepAuthClientError } from "@/lib/client";
import { verifyWebhookSignature } from "@/lib/client/webhook";

// The Standard Webhooks reference vector (standard-webhooks/standard-webhooks, libraries/javascript tests).
const vector = {
  secret: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
  id: "msg_p5jXN8AQM9LWM0D4loKWxJek",
  timestamp: 1614265330,
  payload: '{"test": 2432232314}',
  signature: "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=",
};
const at = (seconds: number) => () => seconds * 1000;
const headers = (overrides: Record<string, string | undefined> = {}) => ({
  "webhook-id": vector.id,
  "webhook-timestamp": String(vector.timestamp),
  "webhook-signature": vector.signature,
  ...overrides,
});

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (error) {
    return isStepAuthClientError(error) ? error.code : `not a client error: ${String(error)}`;
  }
  return undefined;
}

describe("verifyWebhookSignature: the Standard Webhooks vector", () => {
  it("accepts the reference signature, with or without the whsec_ prefix, from a record or a Headers object", () => {
    expect(verifyWebhookSignature(vector.secret, vector.payload, headers(), { now: at(vector.timestamp) })).toBe(
      vector.id,
    );
    expect(
      verifyWebhookSignature(vector.secret.slice("whsec_".length), vector.payload, headers(), {
        now: at(vector.timestamp),
      }),
    ).toBe(vector.id);
    expect(
      verifyWebhookSignature(vector.secret, vector.payload, new Headers(headers() as Record<string, string>), {
        now: at(vector.timestamp),
      }),
    ).toBe(vector.id);
  });

  it("accepts it among several signatures (a secret rotation), other versions ignored", () => {
    const list = [
      "v1,Ceo5qEr07ixe2NLpvHk3FH9bwy/WavXrAFQ/9tdO6mc=",
      "v2,Ceo5qEr07ixe2NLpvHk3FH9bwy/WavXrAFQ/9tdO6mc=",
      vector.signature,
    ].join(" ");
    expect(
      verifyWebhookSignature(vector.secret, vector.payload, headers({ "webhook-signature": list }), {
        now: at(vector.timestamp),
      }),
    ).toBe(vector.id);
  });

  it("agrees with the standardwebhooks library on a fresh signature", () => {
    const now = new Date();
    const signature = new Webhook(vector.secret).sign(vector.id, now, vector.payload);
    const fresh = headers({
      "webhook-timestamp": String(Math.floor(now.getTime() / 1000)),
      "webhook-signature": signature,
    });
    expect(verifyWebhookSignature(vector.secret, vector.payload, fresh)).toBe(vector.id);
  });

  it.each([
    ["a tampered body", { body: '{"test": 2432232315}' }],
    ["another secret", { secret: "whsec_" + Buffer.alloc(24, 1).toString("base64") }],
    ["a wrong signature", { headers: { "webhook-signature": "v1,dawfeoifkpqwoekfpqoekf" } }],
    ["a partial signature", { headers: { "webhook-signature": vector.signature.slice(0, 8) } }],
    ["an empty v1 signature", { headers: { "webhook-signature": "v1," } }],
    ["another webhook-id", { headers: { "webhook-id": "msg_other" } }],
    ["no webhook-id", { headers: { "webhook-id": undefined } }],
    ["no webhook-timestamp", { headers: { "webhook-timestamp": undefined } }],
    ["no webhook-signature", { headers: { "webhook-signature": undefined } }],
    ["a timestamp that is not a number", { headers: { "webhook-timestamp": "hello" } }],
    ["a timestamp over five minutes old", { now: vector.timestamp + 301 }],
    ["a timestamp over five minutes ahead", { now: vector.timestamp - 301 }],
  ] as const)(
    "refuses %s with invalid_webhook",
    (_name, change: { body?: string; secret?: string; headers?: Record<string, string | undefined>; now?: number }) => {
      const code = codeOf(() =>
        verifyWebhookSignature(change.secret ?? vector.secret, change.body ?? vector.payload, headers(change.headers), {
          now: at(change.now ?? vector.timestamp),
        }),
      );
      expect(code).toBe("invalid_webhook");
    },
  );

  it("accepts the edges of the five-minute tolerance", () => {
    expect(verifyWebhookSignature(vector.secret, vector.payload, headers(), { now: at(vector.timestamp + 300) })).toBe(
      vector.id,
    );
    expect(verifyWebhookSignature(vector.secret, vector.payload, headers(), { now: at(vector.timestamp - 300) })).toBe(
      vector.id,
    );
  });
});

describe("client.verifyWebhook: signature first, then the event's shape", () => {
  const secret = "whsec_" + Buffer.alloc(24, 9).toString("base64");
  const requestId = "req_abcdefghijklmnop1234";
  const event = {
    type: "authorization.approved",
    timestamp: new Date().toISOString(),
    data: { requestId, status: "approved", execute: false, principal: {}, action: {} },
  };
  const signed = (id: string, body: string) => {
    const now = new Date();
    return {
      "webhook-id": id,
      "webhook-timestamp": String(Math.floor(now.getTime() / 1000)),
      "webhook-signature": new Webhook(secret).sign(id, now, body),
    };
  };
  const client = createClient({ baseUrl: "http://127.0.0.1:9", apiKey: "sag_test", webhookSecret: secret });

  it("returns the event of a signed webhook", () => {
    const body = JSON.stringify(event);
    expect(client.verifyWebhook(body, signed(requestId, body)).data).toMatchObject({ requestId, execute: false });
  });

  it("refuses a signed body that is not a gateway event, or whose requestId is not the webhook-id", () => {
    const notEvent = JSON.stringify({ test: 1 });
    expect(codeOf(() => client.verifyWebhook(notEvent, signed(requestId, notEvent)))).toBe("invalid_webhook");
    const body = JSON.stringify(event);
    expect(codeOf(() => client.verifyWebhook(body, signed("req_someoneelse00000000", body)))).toBe("invalid_webhook");
  });

  it("refuses to verify without a webhook secret", () => {
    const body = JSON.stringify(event);
    const withoutSecret = createClient({ baseUrl: "http://127.0.0.1:9", apiKey: "sag_test" });
    expect(codeOf(() => withoutSecret.verifyWebhook(body, signed(requestId, body)))).toBe("invalid_webhook");
  });
});
