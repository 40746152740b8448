/** The audit trail's tamper evidence: canonical hashing, signed checkpoints, the shared verifier. No next/*, no db/. */
export { canonicalJson } from "./canonical-json";
export { AUDIT_HASH_VERSION, chainOf, compareLeaves, entryBody, hashEntry, leafLine, sha256Hex } from "./entry-hash";
export type { AuditEntry, EntryKind } from "./entry-hash";
export { LeafDigest, openCheckpoint, signCheckpoint } from "./checkpoint";
export type { AuditTrustedKey, CheckpointBody, CheckpointRecord } from "./checkpoint";
export { AuditChainVerifier, PURGE_ACTION } from "./verifier";
export type { VerifierOptions, VerifyFailure, VerifyReport } from "./verifier";
export { readFileLines, verifyExportLines } from "./verify-export";
