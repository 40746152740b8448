import "server-only";
import { dehydrate, HydrationBoundary, QueryClient } from "@tanstack/react-query";
import { notFound } from "next/navigation";
import { cache, type ReactNode } from "react";
import { getDb } from "@/db/client";
import type { TenantContext } from "@/lib/auth/tenant-context";
import { consoleQueryLoaders, type ConsoleQueryLoaderArgs } from "@/lib/console/queries";
import { AppError } from "@/lib/errors/app-error";
import { consoleQueries, type ConsoleQueryArgs, type ConsoleQueryData, type ConsoleQueryName } from "./queries";

/** A query to prefetch: its registry name and arguments, e.g. `["requests", filters]`. */
export type PrefetchQuery = { [K in ConsoleQueryName]: [K, ...ConsoleQueryArgs<K>] }[ConsoleQueryName];

// Once per query and arguments per page render, however many widgets prefetch it; serialised as the
// API route would answer (JSON), so the server and the client hold the same value.
const loadOnce = cache(async (ctx: TenantContext, name: ConsoleQueryName, args: string): Promise<unknown> => {
  const load = consoleQueryLoaders[name] as (db: unknown, ctx: TenantContext, ...args: unknown[]) => Promise<unknown>;
  return JSON.parse(JSON.stringify(await load(getDb(), ctx, ...(JSON.parse(args) as unknown[]))));
});

/** A console query's data on the server, read through the same loader as its API route. */
export function loadConsoleQuery<K extends ConsoleQueryName>(
  ctx: TenantContext,
  name: K,
  ...args: ConsoleQueryLoaderArgs<K>
): Promise<ConsoleQueryData<K>> {
  return loadOnce(ctx, name, JSON.stringify(args)) as Promise<ConsoleQueryData<K>>;
}

/** Like loadConsoleQuery, but a missing thing (a 404 of the API route) renders the not-found page. */
export async function loadConsoleQueryOrNotFound<K extends ConsoleQueryName>(
  ctx: TenantContext,
  name: K,
  ...args: ConsoleQueryLoaderArgs<K>
): Promise<ConsoleQueryData<K>> {
  try {
    return await loadConsoleQuery(ctx, name, ...args);
  } catch (error) {
    if (error instanceof AppError && error.status === 404) notFound();
    throw error;
  }
}

/**
 * Server component: loads the queries, puts them under their registry keys and hydrates TanStack
 * Query below. Put one inside each widget's Suspense boundary so every widget streams in on its own.
 */
export async function Prefetch({
  ctx,
  queries,
  children,
}: {
  ctx: TenantContext;
  queries: PrefetchQuery[];
  children: ReactNode;
}) {
  const queryClient = new QueryClient();
  await Promise.all(
    queries.map(async ([name, ...args]) => {
      const options = (consoleQueries[name] as (...a: unknown[]) => { queryKey: readonly unknown[] })(...args);
      const data = await loadOnce(ctx, name, JSON.stringify(args));
      // An infinite query holds pages: the loaded one is the first.
      const infinite = "initialPageParam" in options;
      queryClient.setQueryData(
        options.queryKey,
        infinite ? { pages: [data], pageParams: [options.initialPageParam] } : data,
      );
    }),
  );
  return <HydrationBoundary state={dehydrate(queryClient)}>{children}</HydrationBoundary>;
}
