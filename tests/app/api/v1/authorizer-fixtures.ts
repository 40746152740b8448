import { generateKeyPair } from "@/lib/stepauth";
import { bearer, callRoute } from "../../../setup/http";
import * as authorizerCollection from "@/app/api/v1/authorizers/route";

/** A valid authorizer body with a real Ed25519 public key; override any field. */
export function authorizerBody(name: string, overrides: Record<string, unknown> = {}) {
  return {
    name,
    endpoint: `https://${name.toLowerCase().replace(/[^a-z0-9-]/g, "-")}.authorizer.example.com/stepauth`,
    spId: `sp_${name.replace(/[^A-Za-z0-9_]/g, "_")}`,
    publicKeys: [{ keyId: `${name}-key-1`, algorithm: "ed25519", publicKey: generateKeyPair().publicKey }],
    ...overrides,
  };
}

export async function createAuthorizerThroughApi(
  apiKey: string,
  name: string,
  overrides: Record<string, unknown> = {},
) {
  const response = await callRoute(authorizerCollection.POST, {
    method: "POST",
    headers: bearer(apiKey),
    json: authorizerBody(name, overrides),
  });
  if (response.status !== 201)
    throw new Error(`creating ${name} answered ${response.status}: ${JSON.stringify(response.body)}`);
  return response.body;
}
