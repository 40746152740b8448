import type { Metadata } from "next";
import { Suspense } from "react";
import { RequestFiltersForm } from "@/components/console/requests/request-filters-form";
import { RequestTable } from "@/components/console/requests/request-table";
import { VerifyIntegrity } from "@/components/console/requests/verify-integrity";
import { Prefetch } from "@/components/console/shell/prefetch";
import { ErrorNote, PageHeader, WidgetSkeleton } from "@/components/ui/card";
import { requireConsoleContext } from "@/lib/auth/console-page";
import { activeFilters, parseRequestFilters, type RequestFilterParams } from "@/lib/console/request-filters";

export const metadata: Metadata = { title: "Requests" };

export default async function RequestsPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const { ctx } = await requireConsoleContext();
  let params: RequestFilterParams | null = null;
  try {
    params = parseRequestFilters(await searchParams);
  } catch {
    params = null;
  }
  const filters = params ? activeFilters(params) : {};
  return (
    <div className="space-y-6">
      <PageHeader
        title="Requests"
        description="The audit trail: every authorization request, its routing, attempts, decision and execution."
      />
      <VerifyIntegrity range={filters.range} />
      {params ? null : <ErrorNote>Some filters in the address were not valid and were ignored.</ErrorNote>}
      <Suspense fallback={<WidgetSkeleton title="Filters" rows={2} />}>
        <Prefetch ctx={ctx} queries={[["authorizers"]]}>
          <RequestFiltersForm filters={filters} />
        </Prefetch>
      </Suspense>
      <Suspense fallback={<WidgetSkeleton title="Requests" rows={6} />}>
        <Prefetch ctx={ctx} queries={[["requests", filters]]}>
          <RequestTable filters={filters} />
        </Prefetch>
      </Suspense>
    </div>
  );
}
