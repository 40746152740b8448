"use client";

import { useQuery } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import { consoleQueries } from "../shell/queries";

/** Validates the script on the server 300 ms after typing stops; results are cached per script text. */
export function useScriptCheck(script: string) {
  const [debounced, setDebounced] = useState(script);
  useEffect(() => {
    const timer = setTimeout(() => setDebounced(script), 300);
    return () => clearTimeout(timer);
  }, [script]);
  const empty = debounced.trim() === "";
  const check = useQuery({
    ...consoleQueries.routingCheck(debounced),
    enabled: !empty,
    staleTime: Infinity,
  });
  const settled = debounced === script && (empty || check.isSuccess);
  return {
    issues: empty ? [] : (check.data?.issues ?? []),
    valid: empty || check.data?.valid === true,
    settled,
    checking: !settled,
    error: check.error,
  };
}
