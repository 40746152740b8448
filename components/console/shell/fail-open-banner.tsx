"use client";

import Link from "next/link";
import { useSuspenseQuery } from "@tanstack/react-query";
import { formatDateTime } from "./format";
import { consoleQueries, type FailOpenData } from "./queries";

/** Who switched to fail open, as a person reads it. */
export function describeSetter(setBy: FailOpenData["setBy"]): string {
  if (!setBy) return "";
  if (setBy.kind === "user") return `${setBy.name} (${setBy.email})`;
  if (setBy.kind === "api_key") return `API key “${setBy.name}”`;
  return "someone no longer in the tenant";
}

/** On every console page while the tenant fails open: it cannot be missed, and says who turned it on. */
export function FailOpenBanner() {
  const { data } = useSuspenseQuery({ ...consoleQueries.failOpen(), refetchInterval: 30_000 });
  if (!data.failOpen) return null;
  return (
    <div role="alert" data-testid="fail-open-banner" className="border-b border-amber-300 bg-amber-100 text-amber-950">
      <p className="mx-auto max-w-7xl px-4 py-2 text-sm sm:px-6">
        <strong>This tenant fails open:</strong> when no authorizer answers, requests are approved without review.{" "}
        Switched on
        {data.setBy ? (
          <>
            {" "}
            by <strong>{describeSetter(data.setBy)}</strong>
          </>
        ) : null}
        {data.setAt ? ` on ${formatDateTime(data.setAt)}` : ""}.{" "}
        <Link href="/settings" className="font-medium underline">
          Change in Settings
        </Link>
      </p>
    </div>
  );
}
