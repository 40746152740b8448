import type { KeyObject } from "node:crypto";
import { asc } from "drizzle-orm";
import type { Database } from "@/db/client";
import { authorizers, type Authorizer } from "@/db/schema";
import { loadSigningMaterial } from "@/db/queries/signing-keys";
import { getTenantSettings, type EffectiveSettings } from "@/db/queries/tenant-settings";
import { forTenant } from "@/db/queries/tenant-scope";
import type { TenantContext } from "@/lib/auth/tenant-context";
import { importPrivateKey, importPublicKey, type EnvelopeSigner, type TrustedKey } from "@/lib/stepauth";
import { privateNetworkAllowed } from "./outbound";

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

export async function loadTenantRuntime(db: Database, ctx: TenantContext): Promise<TenantRuntime> {
  const [settings, rows, material] = await Promise.all([
    getTenantSettings(db, ctx),
    db.select().from(authorizers).where(forTenant(ctx, authorizers.tenantId)).orderBy(asc(authorizers.createdAt)),
    loadSigningMaterial(db, ctx),
  ]);
  return { settings, authorizers: rows, signers: material.map((k) => ({ keyId: k.keyId, privateKey: cachedKey(k.privateKey, importPrivateKey) })) };
}

/** The authorizer's registered public keys, as the verifier wants them. */
export function trustedKeysOf(authorizer: Authorizer): TrustedKey[] {
  return authorizer.publicKeys.map((k) => ({ keyId: k.keyId, algorithm: k.algorithm, publicKey: cachedKey(k.publicKey, importPublicKey) }));
}

/** Where decisions for this authorizer come back: `<base>/api/stepauth/callback/<authorizerId>`. */
export function callbackUrlFor(settings: EffectiveSettings, authorizerId: string): string {
  const base = settings.publicBaseUrl ?? process.env.GATEWAY_PUBLIC_URL ?? process.env.AUTH_URL ?? `http://localhost:${process.env.PORT ?? "3000"}`;
  return `${base.replace(/\/+$/, "")}/api/stepauth/callback/${authorizerId}`;
}

export const callbackPolicy = () => ({ allowLoopbackHttp: privateNetworkAllowed() });
