import { dehydrate, HydrationBoundary, QueryClient } from "@tanstack/react-query";
import type { Metadata } from "next";
import { MembersPanel, membersQueryKey } from "@/components/console/members/members-panel";
import { getDb } from "@/db/client";
import { listMembers } from "@/db/queries/members";
import { requireConsoleContext } from "@/lib/auth/console-page";
import { can } from "@/lib/auth/tenant-context";

export const metadata: Metadata = { title: "Members" };

export default async function MembersPage() {
  const { ctx, user } = await requireConsoleContext();
  const queryClient = new QueryClient();
  queryClient.setQueryData(membersQueryKey, JSON.parse(JSON.stringify({ data: await listMembers(getDb(), ctx) })));
  return (
    <div className="space-y-6">
      <h1 className="text-2xl font-semibold tracking-tight">Members</h1>
      <HydrationBoundary state={dehydrate(queryClient)}>
        <MembersPanel canManage={can(ctx, "members:manage")} currentUserId={user.id} />
      </HydrationBoundary>
    </div>
  );
}
