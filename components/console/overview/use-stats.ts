"use client";

import { useSuspenseQuery } from "@tanstack/react-query";
import { consoleQueries } from "../shell/queries";

/** The overview's numbers, refreshed every 15 s while the page is open. */
export function useStats() {
  return useSuspenseQuery({ ...consoleQueries.stats(), refetchInterval: 15_000 }).data;
}
