import { describe, expect, it } from "vitest";
import { buildAuthorizationRequest, entries, entry } from "../../../lib/stepauth/builders";
import { AuthorizerClient } from "../../../lib/stepauth/client";
import { verifyEnvelope } from "../../../lib/stepauth/envelope";
import { authorizationRequestPayload, isAuthorizationRequestPayload } from "../../../lib/stepauth/request-payload";
import { parseAuthorizationRequest } from "../../../lib/stepauth/request-schema";
import type { HttpRequest } from "../../../lib/stepauth/transport";
import { vectors } from "../../fixtures/vectors";
import { codeOf as stepAuthCode } from "./stepauth-code";

const build = () =>
  buildAuthorizationRequest({
    spId: "sp_routing",
    expiresIn: 600,
    principal: { type: "human", attributes: entries(entry("email", "Email", "it-admin@acme.com")) },
    action: { type: "device.wipe", summary: "If approved, the laptop is wiped." },
  });
const loopback = { allowLoopbackHttp: true };
const callbackUrl = "https://sp.acme.com/stepauth/cb";
const spKeys = [{ keyId: vectors.keys.sp.keyId, publicKey: vectors.keys.sp.publicKey }];

/** A client whose transport records what it sends and answers pending. */
function recordingClient(policy = {}) {
  const sent: HttpRequest[] = [];
  const client = new AuthorizerClient({
    endpoint: "https://authorizer.example",
    spId: "sp_acme_mdm",
    callbackPolicy: policy,
    signers: [{ keyId: vectors.keys.sp.keyId, privateKey: vectors.keys.sp.privateKey }],
    authorizerKeys: [{ keyId: vectors.keys.authorizer.keyId, publicKey: vectors.keys.authorizer.publicKey }],
    transport: async (request) => {
      sent.push(request);
      const { requestId } = verifyEnvelope(JSON.parse(request.body), spKeys).payload as { requestId: string };
      return { status: 202, headers: {}, body: JSON.stringify({ requestId, status: "pending" }) };
    },
  });
  return { client, sent };
}

describe("authorizationRequestPayload: a request validated once, serialised per authorizer", () => {
  it("is the request for that authorizer, as parsing it would give it", () => {
    const request = build();
    const payload = authorizationRequestPayload(request, { spId: "sp_acme_mdm", callbackUrl });
    const expected = parseAuthorizationRequest({ ...request, spId: "sp_acme_mdm", callbackUrl });
    expect(payload.json).toBe(JSON.stringify(expected));
    expect(payload).toMatchObject({ requestId: request.requestId, spId: "sp_acme_mdm" });
    expect(Object.isFrozen(payload)).toBe(true);
    expect(JSON.parse(authorizationRequestPayload(request, { spId: "sp_poll_only" }).json)).not.toHaveProperty(
      "callbackUrl",
    );
  });

  it("still checks what differs per authorizer: its spId and the callback URL under the policy", () => {
    const request = build();
    expect(stepAuthCode(() => authorizationRequestPayload(request, { spId: "" }))).toBe("malformed_request");
    expect(
      stepAuthCode(() =>
        authorizationRequestPayload(request, { spId: "sp_x", callbackUrl: "http://127.0.0.1:3000/cb" }),
      ),
    ).toBe("invalid_callback_url");
    expect(
      authorizationRequestPayload(request, { spId: "sp_x", callbackUrl: "http://127.0.0.1:3000/cb" }, loopback).spId,
    ).toBe("sp_x");
  });

  it("validates in full a request changed since it was built, or one the builder never saw", () => {
    const changed = build();
    (changed.principal as { type: string }).type = "robot";
    expect(stepAuthCode(() => authorizationRequestPayload(changed, { spId: "sp_acme_mdm" }))).toBe("malformed_request");
    const unseen = { ...build(), action: { type: "", summary: "" } } as never;
    expect(stepAuthCode(() => authorizationRequestPayload(unseen, { spId: "sp_acme_mdm" }))).toBe("malformed_request");
  });

  it("is signed by the client exactly as serialised", async () => {
    const payload = authorizationRequestPayload(build(), { spId: "sp_acme_mdm", callbackUrl });
    const { client, sent } = recordingClient();
    expect((await client.submit(payload)).status).toBe("pending");
    const signed = JSON.parse(sent[0]!.body) as { payload: string };
    expect(Buffer.from(signed.payload, "base64").toString("utf8")).toBe(payload.json);
  });

  it("is not trusted when it is a look-alike, or made under a looser callback policy than the client's", async () => {
    const request = build();
    const { client, sent } = recordingClient();
    const forged = {
      requestId: request.requestId,
      spId: "sp_acme_mdm",
      json: JSON.stringify({ ...request, spId: "sp_acme_mdm", principal: { type: "robot" } }),
      loopbackHttpAllowed: false,
    };
    expect(isAuthorizationRequestPayload(forged)).toBe(false);
    await expect(client.submit(forged as never)).rejects.toMatchObject({ code: "malformed_request" });
    const loose = authorizationRequestPayload(
      request,
      { spId: "sp_acme_mdm", callbackUrl: "http://127.0.0.1:3000/cb" },
      loopback,
    );
    await expect(client.submit(loose)).rejects.toMatchObject({ code: "invalid_callback_url" });
    expect(sent).toHaveLength(0);
    await expect(recordingClient(loopback).client.submit(loose)).resolves.toMatchObject({ status: "pending" });
  });
});
