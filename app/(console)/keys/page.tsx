import type { Metadata } from "next";
import { Suspense } from "react";
import { SigningKeysPanel } from "@/components/console/keys/signing-keys-panel";
import { Prefetch } from "@/components/console/shell/prefetch";
import { queryKeys } from "@/components/console/shell/queries";
import { PageHeader, WidgetSkeleton } from "@/components/ui/card";
import { getDb } from "@/db/client";
import { listSigningKeys } from "@/db/queries/signing-keys";
import { requireConsoleContext } from "@/lib/auth/console-page";
import { can } from "@/lib/auth/tenant-context";
import { listConsoleAuthorizers } from "@/lib/console/authorizer-views";

export const metadata: Metadata = { title: "Signing keys" };

export default async function KeysPage() {
  const { ctx } = await requireConsoleContext();
  const db = getDb();
  return (
    <div className="space-y-6">
      <PageHeader
        title="Signing keys"
        description="Your tenant signs every request with Ed25519. Authorizers verify with the public keys you give them."
      />
      <Suspense fallback={<WidgetSkeleton title="Signing keys" rows={4} />}>
        <Prefetch
          entries={[
            { queryKey: queryKeys.signingKeys, load: async () => ({ data: await listSigningKeys(db, ctx) }) },
            { queryKey: queryKeys.authorizers, load: async () => ({ data: await listConsoleAuthorizers(db, ctx) }) },
          ]}
        >
          <SigningKeysPanel canManage={can(ctx, "keys:manage")} />
        </Prefetch>
      </Suspense>
    </div>
  );
}
