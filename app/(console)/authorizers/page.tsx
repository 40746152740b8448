import type { Metadata } from "next";
import { Suspense } from "react";
import { AddAuthorizerForm } from "@/components/console/authorizers/add-authorizer-form";
import { AuthorizerList } from "@/components/console/authorizers/authorizer-list";
import { Prefetch } from "@/components/console/shell/prefetch";
import { PageHeader, WidgetSkeleton } from "@/components/ui/card";
import { requireConsoleContext } from "@/lib/auth/console-page";
import { can } from "@/lib/auth/tenant-context";

export const metadata: Metadata = { title: "Authorizers" };

export default async function AuthorizersPage() {
  const { ctx } = await requireConsoleContext();
  const canWrite = can(ctx, "config:write");
  return (
    <div className="space-y-6">
      <PageHeader
        title="Authorizers"
        description="External StepAuth authorizers review your requests: people on Slack or e-mail, or a policy engine."
      />
      <Suspense fallback={<WidgetSkeleton title="Authorizers" />}>
        <Prefetch ctx={ctx} queries={[["authorizers"]]}>
          <AuthorizerList canWrite={canWrite} />
        </Prefetch>
      </Suspense>
      {canWrite ? (
        <Suspense fallback={<WidgetSkeleton title="Add an authorizer" rows={5} />}>
          <Prefetch ctx={ctx} queries={[["signingKeys"]]}>
            <AddAuthorizerForm />
          </Prefetch>
        </Suspense>
      ) : null}
    </div>
  );
}
