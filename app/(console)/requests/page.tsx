import type { Metadata } from "next";
import { Suspense } from "react";
import { RequestFiltersForm } from "@/components/console/requests/request-filters-form";
import { RequestTable } from "@/components/console/requests/request-table";
import { VerifyIntegrity } from "@/components/console/requests/verify-integrity";
import { Prefetch } from "@/components/console/shell/prefetch";
import { queryKeys } from "@/components/console/shell/queries";
import { ErrorNote, PageHeader, WidgetSkeleton } from "@/components/ui/card";
import { getDb } from "@/db/client";
import { listRequests } from "@/db/queries/authorization-requests";
import { requireConsoleContext } from "@/lib/auth/console-page";
import { listConsoleAuthorizers } from "@/lib/console/authorizer-views";
import {
  activeFilters,
  parseRequestFilters,
  toListFilters,
  type RequestFilterParams,
} from "@/lib/console/request-filters";

export const metadata: Metadata = { title: "Requests" };

export default async function RequestsPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const { ctx } = await requireConsoleContext();
  const db = getDb();
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
        <Prefetch
          entries={[
            { queryKey: queryKeys.authorizers, load: async () => ({ data: await listConsoleAuthorizers(db, ctx) }) },
          ]}
        >
          <RequestFiltersForm filters={filters} />
        </Prefetch>
      </Suspense>
      <Suspense fallback={<WidgetSkeleton title="Requests" rows={6} />}>
        <Prefetch
          entries={[
            {
              queryKey: queryKeys.requests(filters),
              infinite: true,
              load: () => listRequests(db, ctx, toListFilters({ ...filters, limit: 25 } as RequestFilterParams)),
            },
          ]}
        >
          <RequestTable filters={filters} />
        </Prefetch>
      </Suspense>
    </div>
  );
}
