import type { Metadata } from "next";
import { Suspense } from "react";
import { AddAuthorizerForm } from "@/components/console/authorizers/add-authorizer-form";
import { AuthorizerList } from "@/components/console/authorizers/authorizer-list";
import { Prefetch } from "@/components/console/shell/prefetch";
import { queryKeys } from "@/components/console/shell/queries";
import { PageHeader, WidgetSkeleton } from "@/components/ui/card";
import { getDb } from "@/db/client";
import { listSigningKeys } from "@/db/queries/signing-keys";
import { requireConsoleContext } from "@/lib/auth/console-page";
import { can } from "@/lib/auth/tenant-context";
import { listConsoleAuthorizers } from "@/lib/console/authorizer-views";

export const metadata: Metadata = { title: "Authorizers" };

export default async function AuthorizersPage() {
  const { ctx } = await requireConsoleContext();
  const db = getDb();
  const canWrite = can(ctx, "config:write");
  return (
    <div className="space-y-6">
      <PageHeader
        title="Authorizers"
        description="External StepAuth authorizers review your requests: people on Slack or e-mail, or a policy engine."
      />
      <Suspense fallback={<WidgetSkeleton title="Authorizers" />}>
        <Prefetch
          entries={[
            { queryKey: queryKeys.authorizers, load: async () => ({ data: await listConsoleAuthorizers(db, ctx) }) },
          ]}
        >
          <AuthorizerList canWrite={canWrite} />
        </Prefetch>
      </Suspense>
      {canWrite ? (
        <Suspense fallback={<WidgetSkeleton title="Add an authorizer" rows={5} />}>
          <Prefetch
            entries={[
              { queryKey: queryKeys.signingKeys, load: async () => ({ data: await listSigningKeys(db, ctx) }) },
            ]}
          >
            <AddAuthorizerForm />
          </Prefetch>
        </Suspense>
      ) : null}
    </div>
  );
}
