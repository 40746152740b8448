import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from "node:crypto";

// scrypt is memory-hard: N=2^15, r=8 costs 32 MiB per hash, ~50 ms on this class of machine.
const params = { N: 2 ** 15, r: 8, p: 1, keyLength: 32 } as const;
const options: ScryptOptions = { N: params.N, r: params.r, p: params.p, maxmem: 64 * 1024 * 1024 };

function derive(password: string, salt: Buffer, keyLength: number, opts: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scrypt(password.normalize("NFKC"), salt, keyLength, opts, (error, key) => (error ? reject(error) : resolve(key))),
  );
}

/** Hashes a password as `scrypt$N$r$p$salt$hash` (base64), self-describing so parameters can be raised later. */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await derive(password, salt, params.keyLength, options);
  return ["scrypt", params.N, params.r, params.p, salt.toString("base64"), key.toString("base64")].join("$");
}

/** A valid hash of a random password: verifying against it costs what a real verification costs. */
const dummyHash = hashPassword(randomBytes(16).toString("base64"));

/**
 * Verifies a password in constant time. With `storedHash` null (unknown e-mail, OIDC-only user) it
 * still runs a full scrypt, so the answer and its timing do not reveal whether the account exists.
 */
export async function verifyPassword(password: string, storedHash: string | null): Promise<boolean> {
  const hash = storedHash ?? (await dummyHash);
  const [scheme, n, r, p, saltB64, keyB64] = hash.split("$");
  if (scheme !== "scrypt" || !n || !r || !p || !saltB64 || !keyB64) return false;
  const expected = Buffer.from(keyB64, "base64");
  const actual = await derive(password, Buffer.from(saltB64, "base64"), expected.length, {
    N: Number(n),
    r: Number(r),
    p: Number(p),
    maxmem: options.maxmem,
  });
  return timingSafeEqual(actual, expected) && storedHash !== null;
}
