import { generateKeyPair, importPrivateKey, type EnvelopeSigner } from "@/lib/stepauth";

let signer: EnvelopeSigner | undefined;
/** A throw-away key for the benchmark floor route, made once per process. */
export function benchFloorSigner(): EnvelopeSigner {
  signer ??= { keyId: "bench-floor", privateKey: importPrivateKey(generateKeyPair().privateKey) };
  return signer;
}
