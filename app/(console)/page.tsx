import type { Metadata } from "next";
import Link from "next/link";
import { Card } from "@/components/ui/card";
import { requireConsoleContext } from "@/lib/auth/console-page";

export const metadata: Metadata = { title: "Overview" };

export default async function OverviewPage() {
  const { user } = await requireConsoleContext();
  return (
    <div className="space-y-6">
      <div>
        <h1 className="text-2xl font-semibold tracking-tight">Overview</h1>
        <p className="mt-1 text-sm text-slate-500">Welcome, {user.name}.</p>
      </div>
      <Card title="No authorization requests yet" description="Requests your services send through the gateway will appear here with their decisions and audit trail.">
        <ol className="list-decimal space-y-1.5 pl-5 text-sm text-slate-700">
          <li>Create an API key for your service on the <Link className="font-medium text-brand-700 underline" href="/api-keys">API keys</Link> page.</li>
          <li>Send sensitive actions to <code className="rounded bg-slate-100 px-1">POST /api/v1/authorization-requests</code>.</li>
          <li>Invite reviewers and admins on the <Link className="font-medium text-brand-700 underline" href="/members">Members</Link> page.</li>
        </ol>
      </Card>
    </div>
  );
}
