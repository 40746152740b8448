import type { Database } from "@/db/client";
import { createSigningKey, listSigningKeys } from "@/db/queries/signing-keys";
import { issueTenantContext } from "@/lib/auth/tenant-context";
import { importPublicKey, type TrustedKey } from "@/lib/stepauth";
import { createTestTenant, createTestUser } from "../../../setup/database";
import { sessionHeaders } from "../../../setup/http";

/** A tenant with a signing key and a session for each role, as the console's browsers would hold. */
export async function createConsoleTenant(db: Database) {
  const tenant = await createTestTenant(db);
  const ctx = issueTenantContext(tenant.tenantId, { type: "user", userId: tenant.owner.id, role: "owner" });
  await createSigningKey(db, ctx);
  const admin = await createTestUser(db, tenant.tenantId, "admin");
  const viewer = await createTestUser(db, tenant.tenantId, "viewer");
  return {
    ...tenant,
    ctx,
    owner: await sessionHeaders(tenant.owner.id),
    admin: await sessionHeaders(admin.id),
    viewer: await sessionHeaders(viewer.id),
    /** The tenant's unretired public keys, as an authorizer registers them. */
    spKeys: async (): Promise<TrustedKey[]> =>
      (await listSigningKeys(db, ctx))
        .filter((k) => k.state !== "retired")
        .map((k) => ({ keyId: k.keyId, algorithm: "ed25519", publicKey: importPublicKey(k.publicKey) })),
  };
}
