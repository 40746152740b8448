"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { consoleFetch } from "../shell/api-client";
import { consoleQueries } from "../shell/queries";

const path = (name: string) => `/api/console/authorizers/${encodeURIComponent(name)}`;

/** Create, change and delete authorizers; every success refreshes the list, the detail and the stats. */
export function useAuthorizerMutations() {
  const queryClient = useQueryClient();
  const refresh = () => {
    void queryClient.invalidateQueries({ queryKey: consoleQueries.attention().queryKey });
    return queryClient.invalidateQueries({ queryKey: consoleQueries.authorizers().queryKey });
  };
  return {
    create: useMutation({
      mutationFn: (input: Record<string, unknown>) =>
        consoleFetch("/api/console/authorizers", { method: "POST", json: input }),
      onSuccess: refresh,
    }),
    update: useMutation({
      mutationFn: ({ name, patch }: { name: string; patch: Record<string, unknown> }) =>
        consoleFetch(path(name), { method: "PATCH", json: patch }),
      onSuccess: refresh,
    }),
    // The dialog is the confirmation: the name is sent as the server's confirmName (needed while requests wait on it).
    remove: useMutation({
      mutationFn: (name: string) => consoleFetch(path(name), { method: "DELETE", json: { confirmName: name } }),
      onSuccess: refresh,
    }),
  };
}
