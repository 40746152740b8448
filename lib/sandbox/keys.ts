/**
 * The sandbox authorizer's own Ed25519 key: generated on first use, the private half sealed at
 * rest with a context of its own, so no other part of the app (or another row) can open it.
 */
import type { KeyObject } from "node:crypto";
import type { Database } from "@/db/client";
import { findCurrentSandboxSigningKey, insertSandboxSigningKey } from "@/db/queries/system/sandbox-keys";
import { openSecret, sealSecret } from "@/lib/crypto/secret-box";
import { generateKeyPair, importPrivateKey, type EnvelopeSigner } from "@/lib/stepauth";

/** The keyId of the sandbox's first key; a later rotation would add `sandbox-key-2`, … */
export const SANDBOX_FIRST_KEY_ID = "sandbox-key-1";

const sealContext = (keyId: string) => `sandbox-authorizer:signing-key:${keyId}`;

/** The sandbox's current key: its public half (to register at SPs) and a signer. */
export interface SandboxKey {
  keyId: string;
  publicKey: string;
  signer: EnvelopeSigner & { privateKey: KeyObject };
}

const cache = new Map<string, SandboxKey>();

/**
 * Returns the sandbox's current signing key, creating it on first use. Concurrent first uses are
 * safe: the insert is keyed by keyId and the loser reads the winner's row.
 *
 * @example
 * ```ts
 * const { keyId, publicKey } = await ensureSandboxSigningKey(db);
 * // register { keyId, algorithm: "ed25519", publicKey } as the authorizer's key at the SP
 * ```
 */
export async function ensureSandboxSigningKey(db: Database): Promise<SandboxKey> {
  let row = await findCurrentSandboxSigningKey(db);
  if (!row) {
    const pair = generateKeyPair();
    const sealed = sealSecret(pair.privateKey, sealContext(SANDBOX_FIRST_KEY_ID));
    await insertSandboxSigningKey(db, {
      keyId: SANDBOX_FIRST_KEY_ID,
      publicKey: pair.publicKey,
      privateKeyCiphertext: sealed.ciphertext,
      privateKeyKeyVersion: sealed.keyVersion,
    });
    row = await findCurrentSandboxSigningKey(db);
    if (!row) throw new Error("the sandbox signing key could not be created");
  }
  const cached = cache.get(row.keyId);
  if (cached && cached.publicKey === row.publicKey) return cached;
  const privateKey = openSecret(
    { keyVersion: row.privateKeyKeyVersion, ciphertext: row.privateKeyCiphertext },
    sealContext(row.keyId),
  );
  const key: SandboxKey = {
    keyId: row.keyId,
    publicKey: row.publicKey,
    signer: { keyId: row.keyId, privateKey: importPrivateKey(privateKey) },
  };
  cache.set(row.keyId, key);
  return key;
}
