import type { ConsoleQueryData } from "@/components/console/shell/queries";

/** The envelope's display entries, as the sandbox stored them. */
export interface EntryView {
  key: string;
  label: string;
  value: string | EntryView[];
}

export interface PrincipalView {
  type: "human" | "service" | "agent";
  attributes: EntryView[];
  operator?: PrincipalView;
}

/**
 * An inbox item as `consoleQueries.sandboxInbox` receives it: the loader's row, with its two jsonb
 * columns read as the envelope's principal and action views (the sandbox stores them verified, as sent).
 */
export type InboxItem = Omit<ConsoleQueryData<"sandboxInbox">["requests"][number], "principal" | "action"> & {
  principal: PrincipalView;
  action: { type: string; category?: string; summary: string; details?: EntryView[] };
};

export type InboxView = ConsoleQueryData<"sandboxInbox">["view"];
