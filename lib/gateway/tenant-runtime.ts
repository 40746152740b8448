import type { KeyObject } from "node:crypto";
import type { Database } from "@/db/client";
import type { Authorizer } from "@/db/schema";
import { loadSigningMaterial } from "@/db/queries/signing-keys";
import { getTenantSettings, type EffectiveSettings } from "@/db/queries/tenant-settings";
import { configVersion } from "@/db/queries/config-version";
import { listAuthorizerRows } from "@/db/queries/runtime-authorizers";
import { assertTenantContext, type TenantContext } from "@/lib/auth/tenant-context";
import { importPrivateKey, importPublicKey, type EnvelopeSigner, type TrustedKey } from "@/lib/stepauth";
import { TtlCache } from "@/lib/cache/ttl-cache";
import { privateNetworkAllowed } from "@/lib/net/outbound";
import { config } from "@/lib/config/env";

/** What the pipeline needs of a tenant, read fresh for each unit of work (configuration may change). */
export interface TenantRuntime {
  settings: EffectiveSettings;
  authorizers: Authorizer[];
  signers: EnvelopeSigner[];
}

// Importing a DER key costs more than signing with it: keep KeyObjects, keyed by the encoded key.
const keyObjects = new Map<string, KeyObject>();
function cachedKey(encoded: string, importer: (value: string) => KeyObject): KeyObject {
  let key = keyObjects.get(encoded);
  if (!key) {
    if (keyObjects.size > 5_000) keyObjects.clear();
    key = importer(encoded);
    keyObjects.set(encoded, key);
  }
  return key;
}

// Three queries and a decryption per request add up on the hot path: keep a tenant's configuration
// for a second. A change made through this process applies at once (its write bumps the version);
// other instances apply it within GATEWAY_CONFIG_CACHE_MS.
const runtimes = new TtlCache<string, TenantRuntime>({
  ttlMs: config().GATEWAY_CONFIG_CACHE_MS,
  maxEntries: 10_000,
  version: configVersion,
});

export function loadTenantRuntime(db: Database, ctx: TenantContext): Promise<TenantRuntime> {
  // Keyed by the checked tenant id: a context lib/auth did not issue never reads a cached runtime.
  return runtimes.get(assertTenantContext(ctx), () => readTenantRuntime(db, ctx));
}

async function readTenantRuntime(db: Database, ctx: TenantContext): Promise<TenantRuntime> {
  const [settings, rows, material] = await Promise.all([
    getTenantSettings(db, ctx),
    listAuthorizerRows(db, ctx),
    loadSigningMaterial(db, ctx),
  ]);
  return {
    settings,
    authorizers: rows,
    signers: material.map((k) => ({ keyId: k.keyId, privateKey: cachedKey(k.privateKey, importPrivateKey) })),
  };
}

/** The authorizer's registered public keys, as the verifier wants them. */
export function trustedKeysOf(authorizer: Authorizer): TrustedKey[] {
  return authorizer.publicKeys.map((k) => ({
    keyId: k.keyId,
    algorithm: k.algorithm,
    publicKey: cachedKey(k.publicKey, importPublicKey),
  }));
}

export const callbackPolicy = () => ({ allowLoopbackHttp: privateNetworkAllowed() });
