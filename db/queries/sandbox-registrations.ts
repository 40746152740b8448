import { eq, sql } from "drizzle-orm";
import type { Database } from "@/db/client";
import {
  sandboxRegistrations,
  type SandboxPolicyRule,
  type SandboxRegistration,
  type SandboxSpPublicKey,
} from "@/db/schema";
import type { TenantContext } from "@/lib/auth/tenant-context";
import { AppError } from "@/lib/errors/app-error";
import { recordAuditEvent } from "./audit";
import { lockSandboxRegistrationBySpId } from "./system/sandbox-registrations";
import { forTenant, tenantIdOf } from "./tenant-scope";

/** The registrations a tenant owns (its members review their requests). */
export async function listSandboxRegistrations(db: Database, ctx: TenantContext): Promise<SandboxRegistration[]> {
  return db.select().from(sandboxRegistrations).where(forTenant(ctx, sandboxRegistrations.tenantId));
}

export interface SandboxRegistrationInput {
  spId: string;
  name: string;
  publicKeys: SandboxSpPublicKey[];
  callbackUrlPattern: string | null;
  policyRules?: SandboxPolicyRule[];
}

/**
 * Registers an SP with the sandbox for the tenant in `ctx`, or refreshes its keys and callback
 * pattern when that tenant registered it before (policy rules are kept unless given). An spId
 * registered by another tenant is a conflict: spIds are global at an authorizer.
 */
export async function upsertSandboxRegistration(
  db: Database,
  ctx: TenantContext,
  input: SandboxRegistrationInput,
): Promise<SandboxRegistration> {
  const tenantId = tenantIdOf(ctx);
  return db.transaction(async (tx) => {
    const existing = await lockSandboxRegistrationBySpId(tx, input.spId);
    if (existing && existing.tenantId !== tenantId)
      throw new AppError("conflict", `The spId ${input.spId} is registered by another tenant`);
    const [row] = existing
      ? await tx
          .update(sandboxRegistrations)
          .set({
            name: input.name,
            publicKeys: input.publicKeys,
            callbackUrlPattern: input.callbackUrlPattern,
            ...(input.policyRules ? { policyRules: input.policyRules } : {}),
            updatedAt: sql`now()`,
          })
          .where(forTenant(ctx, sandboxRegistrations.tenantId, eq(sandboxRegistrations.id, existing.id)))
          .returning()
      : await tx
          .insert(sandboxRegistrations)
          .values({ ...input, tenantId, policyRules: input.policyRules ?? [] })
          .returning();
    if (!row) throw new Error("registration write returned no row");
    await recordAuditEvent(tx, ctx, {
      action: existing ? "sandbox.registration_updated" : "sandbox.sp_registered",
      target: row.spId,
      data: {
        keyIds: row.publicKeys.map((k) => k.keyId),
        callbackUrlPattern: row.callbackUrlPattern,
        rules: row.policyRules.map((r) => r.name),
      },
    });
    return row;
  });
}

/** Replaces the ordered policy rules of one of the tenant's registrations; null when it has no such registration. */
export async function updateSandboxPolicy(
  db: Database,
  ctx: TenantContext,
  spId: string,
  rules: SandboxPolicyRule[],
): Promise<SandboxRegistration | null> {
  return db.transaction(async (tx) => {
    const [row] = await tx
      .update(sandboxRegistrations)
      .set({ policyRules: rules, updatedAt: sql`now()` })
      .where(forTenant(ctx, sandboxRegistrations.tenantId, eq(sandboxRegistrations.spId, spId)))
      .returning();
    if (!row) return null;
    await recordAuditEvent(tx, ctx, {
      action: "sandbox.policy_updated",
      target: spId,
      data: { rules: rules.map((r) => ({ name: r.name, outcome: r.outcome, quorum: r.quorum })) },
    });
    return row;
  });
}
