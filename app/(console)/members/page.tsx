import type { Metadata } from "next";
import { Suspense } from "react";
import { InvitationsPanel, invitationsQueryKey } from "@/components/console/members/invitations-panel";
import { MembersPanel, membersQueryKey } from "@/components/console/members/members-panel";
import { Prefetch } from "@/components/console/shell/prefetch";
import { PageHeader, WidgetSkeleton } from "@/components/ui/card";
import { getDb } from "@/db/client";
import { listPendingInvitations } from "@/db/queries/invitations";
import { listMembers } from "@/db/queries/members";
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
          <Prefetch
            entries={[
              {
                queryKey: invitationsQueryKey,
                load: async () => ({ data: await listPendingInvitations(getDb(), ctx) }),
              },
            ]}
          >
            <InvitationsPanel />
          </Prefetch>
        </Suspense>
      ) : null}
      <Suspense fallback={<WidgetSkeleton title="Members" />}>
        <Prefetch
          entries={[{ queryKey: membersQueryKey, load: async () => ({ data: await listMembers(getDb(), ctx) }) }]}
        >
          <MembersPanel canManage={canManage} currentUserId={user.id} />
        </Prefetch>
      </Suspense>
    </div>
  );
}
