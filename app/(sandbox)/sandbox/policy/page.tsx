import type { Metadata } from "next";
import Link from "next/link";
import { Prefetch } from "@/components/console/shell/prefetch";
import { PolicyEditor } from "@/components/sandbox/policy-editor";
import { requireConsoleContext } from "@/lib/auth/console-page";
import { can } from "@/lib/auth/tenant-context";

export const metadata: Metadata = { title: "Policy · Sandbox authorizer" };

export default async function SandboxPolicyPage() {
  const { ctx } = await requireConsoleContext();
  return (
    <div className="space-y-6">
      <div>
        <p className="text-sm">
          <Link href="/sandbox" className="text-brand-700 underline">
            Reviewer inbox
          </Link>{" "}
          / Policy
        </p>
        <h1 className="mt-1 text-2xl font-semibold tracking-tight">Sandbox policy</h1>
        <p className="mt-1 text-sm text-slate-500">
          Ordered CEL rules over the same flattened request routing scripts see. A rule that errors never matches; a
          review rule may require several distinct reviewers, and any denial denies.
        </p>
      </div>
      <Prefetch ctx={ctx} queries={[["sandboxPolicy"]]}>
        <PolicyEditor canEdit={can(ctx, "config:write")} />
      </Prefetch>
    </div>
  );
}
