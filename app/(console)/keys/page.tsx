import type { Metadata } from "next";
import { Suspense } from "react";
import { SigningKeysPanel } from "@/components/console/keys/signing-keys-panel";
import { Prefetch } from "@/components/console/shell/prefetch";
import { PageHeader, WidgetSkeleton } from "@/components/ui/card";
import { requireConsoleContext } from "@/lib/auth/console-page";
import { can } from "@/lib/auth/tenant-context";

export const metadata: Metadata = { title: "Signing keys" };

export default async function KeysPage() {
  const { ctx } = await requireConsoleContext();
  return (
    <div className="space-y-6">
      <PageHeader
        title="Signing keys"
        description="Your tenant signs every request with Ed25519. Authorizers verify with the public keys you give them."
      />
      <Suspense fallback={<WidgetSkeleton title="Signing keys" rows={4} />}>
        <Prefetch ctx={ctx} queries={[["signingKeys"], ["authorizers"]]}>
          <SigningKeysPanel canManage={can(ctx, "keys:manage")} />
        </Prefetch>
      </Suspense>
    </div>
  );
}
