import type { AuthorizerRow } from "../shell/queries";

/**
 * Enabled authorizers not yet shown to accept any of `keyIds` (a test signed by that key alone):
 * they may still rely on the key being retired. The server applies the same rule and refuses the
 * retirement (409 signing_key_in_use) unless the key id is typed as confirmation.
 */
export function authorizersNotProvenOn(authorizers: AuthorizerRow[], keyIds: string[]): AuthorizerRow[] {
  return authorizers.filter((a) => a.enabled && !a.provenKeyIds.some((k) => keyIds.includes(k)));
}
