import type { Metadata } from "next";
import { Suspense } from "react";
import { MembersPanel, membersQueryKey } from "@/components/console/members/members-panel";
import { Prefetch } from "@/components/console/shell/prefetch";
import { PageHeader, WidgetSkeleton } from "@/components/ui/card";
import { getDb } from "@/db/client";
import { listMembers } from "@/db/queries/members";
import { requireConsoleContext } from "@/lib/auth/console-page";
import { can } from "@/lib/auth/tenant-context";

export const metadata: Metadata = { title: "Members" };

export default async function MembersPage() {
  const { ctx, user } = await requireConsoleContext();
  return (
    <div className="space-y-6">
      <PageHeader title="Members" description="Viewers read everything, admins configure authorizers, routing and settings, owners also manage members and keys." />
      <Suspense fallback={<WidgetSkeleton title="Members" />}>
        <Prefetch entries={[{ queryKey: membersQueryKey, load: async () => ({ data: await listMembers(getDb(), ctx) }) }]}>
          <MembersPanel canManage={can(ctx, "members:manage")} currentUserId={user.id} />
        </Prefetch>
      </Suspense>
    </div>
  );
}
