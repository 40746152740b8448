"use client";

import { useState } from "react";
import { consoleFetch } from "./api-client";

export interface TenantMembership {
  tenantId: string;
  tenantName: string;
  role: string;
}

/** The header's tenant name; with several memberships, a menu that switches (the server checks membership). */
export function TenantSwitcher({
  memberships,
  currentTenantId,
}: {
  memberships: TenantMembership[];
  currentTenantId: string;
}) {
  const [error, setError] = useState<string | null>(null);
  const current = memberships.find((m) => m.tenantId === currentTenantId);
  if (memberships.length < 2)
    return <p className="text-sm font-semibold leading-tight">{current?.tenantName ?? "Tenant"}</p>;

  async function switchTo(tenantId: string) {
    setError(null);
    try {
      await consoleFetch("/api/console/active-tenant", { method: "POST", json: { tenantId } });
      // Every cached query belongs to the old tenant: start over with a full navigation.
      window.location.replace(`${window.location.origin}/`);
    } catch (e) {
      setError(e instanceof Error ? e.message : "Could not switch tenant");
    }
  }

  return (
    <div>
      <label htmlFor="tenant-switcher" className="sr-only">
        Tenant
      </label>
      <select
        id="tenant-switcher"
        value={currentTenantId}
        onChange={(e) => void switchTo(e.target.value)}
        className="-ml-1 rounded-md border-0 bg-transparent py-0.5 pl-1 pr-7 text-sm font-semibold leading-tight ring-0 hover:bg-slate-100 focus:ring-2 focus:ring-brand-500"
      >
        {memberships.map((m) => (
          <option key={m.tenantId} value={m.tenantId}>
            {m.tenantName} ({m.role})
          </option>
        ))}
      </select>
      {error ? (
        <p role="alert" className="text-xs text-red-700">
          {error}
        </p>
      ) : null}
    </div>
  );
}
