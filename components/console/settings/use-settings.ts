"use client";

import { useMutation, useQueryClient, useSuspenseQuery } from "@tanstack/react-query";
import { consoleFetch } from "../shell/api-client";
import { consoleQueries, type SettingsData } from "../shell/queries";

/** The tenant's settings and one PUT mutation (the same body as PUT /api/v1/settings). */
export function useSettings() {
  const queryClient = useQueryClient();
  const { data } = useSuspenseQuery(consoleQueries.settings());
  const save = useMutation({
    mutationFn: (patch: Record<string, unknown>) =>
      consoleFetch<SettingsData & { webhookSecret?: string }>("/api/console/settings", { method: "PUT", json: patch }),
    onSuccess: (updated) => {
      const { webhookSecret: _secret, ...settings } = updated;
      queryClient.setQueryData(consoleQueries.settings().queryKey, settings);
    },
  });
  return { settings: data, save };
}
