import type { EffectiveSettings } from "@/db/queries/tenant-settings";
import { config } from "./env";

// Where this app is reached from outside, for the URLs it hands to others (callback URLs in
// submissions, the sandbox's endpoint). Shared by the gateway and the sandbox, which may not import
// each other.

/** The app's configured origin: GATEWAY_PUBLIC_URL, else AUTH_URL, else http://localhost:$PORT. */
function configuredOrigin(): string {
  return config().GATEWAY_PUBLIC_URL ?? config().AUTH_URL ?? `http://localhost:${config().PORT}`;
}

/** The gateway's public origin: the tenant's publicBaseUrl, else GATEWAY_PUBLIC_URL, AUTH_URL, localhost. */
export function gatewayBaseUrl(settings: Pick<EffectiveSettings, "publicBaseUrl">): string {
  return (settings.publicBaseUrl ?? configuredOrigin()).replace(/\/+$/, "");
}

/** Where decisions for this authorizer come back: `<base>/api/stepauth/callback/<authorizerId>`. */
export function callbackUrlFor(settings: Pick<EffectiveSettings, "publicBaseUrl">, authorizerId: string): string {
  return `${gatewayBaseUrl(settings)}/api/stepauth/callback/${authorizerId}`;
}

/** Where this app serves the built-in sandbox authorizer: `<configured origin>/api/sandbox-authorizer`. */
export function sandboxEndpoint(): string {
  return `${configuredOrigin().replace(/\/+$/, "")}/api/sandbox-authorizer`;
}
