import { dehydrate, HydrationBoundary, QueryClient, type QueryKey } from "@tanstack/react-query";
import type { ReactNode } from "react";

export interface PrefetchEntry {
  queryKey: QueryKey;
  /** The same server function the console API route answers with. */
  load: () => Promise<unknown>;
  /** For useSuspenseInfiniteQuery: store the result as the first page. */
  infinite?: boolean;
}

/**
 * Server component: runs the loaders, serialises their results exactly as the API route would
 * (JSON), and hydrates TanStack Query below. Put one inside each widget's Suspense boundary so
 * every widget streams in on its own.
 */
export async function Prefetch({ entries, children }: { entries: PrefetchEntry[]; children: ReactNode }) {
  const queryClient = new QueryClient();
  await Promise.all(
    entries.map(async ({ queryKey, load, infinite }) => {
      const data = JSON.parse(JSON.stringify(await load()));
      queryClient.setQueryData(queryKey, infinite ? { pages: [data], pageParams: [null] } : data);
    }),
  );
  return <HydrationBoundary state={dehydrate(queryClient)}>{children}</HydrationBoundary>;
}
