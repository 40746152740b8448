import type { Metadata } from "next";
import Link from "next/link";
import { Prefetch } from "@/components/console/shell/prefetch";
import { SandboxInbox } from "@/components/sandbox/inbox";
import { requireConsoleContext } from "@/lib/auth/console-page";
import { can } from "@/lib/auth/tenant-context";

export const metadata: Metadata = { title: "Reviewer inbox · Sandbox authorizer" };

export default async function SandboxInboxPage() {
  const { ctx, user } = await requireConsoleContext();
  return (
    <div className="space-y-6">
      <div>
        <div className="flex flex-wrap items-baseline justify-between gap-2">
          <h1 className="text-2xl font-semibold tracking-tight">Reviewer inbox</h1>
          <Link href="/sandbox/policy" className="text-sm font-medium text-brand-700 underline">
            Policy rules
          </Link>
        </div>
        <p className="mt-1 text-sm text-slate-500">
          Requests that services sent to this authorizer and its policy left to people. Decisions are signed with the
          sandbox&apos;s key and delivered to the service.
        </p>
      </div>
      <Prefetch ctx={ctx} queries={[["sandboxInbox", "pending"]]}>
        <SandboxInbox canDecide={can(ctx, "requests:write")} currentUserId={user.id} currentUserEmail={user.email} />
      </Prefetch>
    </div>
  );
}
