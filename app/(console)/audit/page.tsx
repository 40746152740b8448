import type { Metadata } from "next";
import { Suspense } from "react";
import { AuditLogFilters } from "@/components/console/audit/audit-log-filters";
import { AuditLogTable } from "@/components/console/audit/audit-log-table";
import { Prefetch } from "@/components/console/shell/prefetch";
import { ErrorNote, PageHeader, WidgetSkeleton } from "@/components/ui/card";
import { auditKinds } from "@/db/queries/audit-log";
import { requireConsoleContext } from "@/lib/auth/console-page";
import { parseAuditLogQuery } from "@/lib/console/audit-log";

export const metadata: Metadata = { title: "Audit log" };

const filterKeys = ["kind", "actor", "range"] as const;
const kinds = Object.entries(auditKinds).map(([value, kind]) => ({ value, label: kind.label }));

export default async function AuditLogPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const { ctx } = await requireConsoleContext();
  const raw = await searchParams;
  const given = Object.fromEntries(
    filterKeys.flatMap((key) =>
      typeof raw[key] === "string" && raw[key].trim() !== "" ? [[key, raw[key].trim()]] : [],
    ),
  );
  let filters: Record<string, string> = given;
  let valid = true;
  try {
    parseAuditLogQuery(given);
  } catch {
    [filters, valid] = [{}, false];
  }
  return (
    <div className="space-y-6">
      <PageHeader
        title="Audit log"
        description="Who changed the gateway's configuration, what they changed, and when. Removed members' changes stay here, under their name."
      />
      {valid ? null : <ErrorNote>Some filters in the address were not valid and were ignored.</ErrorNote>}
      <AuditLogFilters filters={filters} kinds={kinds} />
      <Suspense fallback={<WidgetSkeleton title="Configuration changes" rows={6} />}>
        <Prefetch ctx={ctx} queries={[["auditLog", filters]]}>
          <AuditLogTable filters={filters} />
        </Prefetch>
      </Suspense>
    </div>
  );
}
