import type { Metadata } from "next";
import { Suspense } from "react";
import { InvitationsPanel } from "@/components/console/members/invitations-panel";
import { MembersPanel } from "@/components/console/members/members-panel";
import { Prefetch } from "@/components/console/shell/prefetch";
import { PageHeader, WidgetSkeleton } from "@/components/ui/card";
import { requireConsoleContext } from "@/lib/auth/console-page";
import { can } from "@/lib/auth/tenant-context";

export const metadata: Metadata = { title: "Members" };

export default async function MembersPage() {
  const { ctx, user } = await requireConsoleContext();
  const canManage = can(ctx, "members:manage");
  return (
    <div className="space-y-6">
      <PageHeader
        title="Members"
        description="Viewers read everything, admins configure authorizers, routing and settings, owners also manage members and keys."
      />
      {canManage ? (
        <Suspense fallback={<WidgetSkeleton title="Invitations" />}>
          <Prefetch ctx={ctx} queries={[["invitations"]]}>
            <InvitationsPanel />
          </Prefetch>
        </Suspense>
      ) : null}
      <Suspense fallback={<WidgetSkeleton title="Members" />}>
        <Prefetch ctx={ctx} queries={[["members"]]}>
          <MembersPanel canManage={canManage} currentUserId={user.id} />
        </Prefetch>
      </Suspense>
    </div>
  );
}
