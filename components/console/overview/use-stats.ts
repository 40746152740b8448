"use client";

import { useSuspenseQuery } from "@tanstack/react-query";
import { fetchers, queryKeys } from "../shell/queries";

/** The overview's numbers, refreshed every 15 s while the page is open. */
export function useStats() {
  return useSuspenseQuery({ queryKey: queryKeys.stats, queryFn: fetchers.stats, refetchInterval: 15_000 }).data;
}
