import type { EntryView, InboxItem, PrincipalView } from "./types";

function entryText(entries: EntryView[]): string[] {
  return entries.flatMap((e) => (typeof e.value === "string" ? [e.label, e.value] : [e.label, ...entryText(e.value)]));
}

function principalText(principal: PrincipalView | undefined): string[] {
  return principal ? [principal.type, ...entryText(principal.attributes), ...principalText(principal.operator)] : [];
}

/** Whether every word of the search appears in the request: summary, ids, action, principals, details. */
export function inboxItemMatches(item: InboxItem, search: string): boolean {
  const words = search.toLowerCase().split(/\s+/).filter(Boolean);
  if (words.length === 0) return true;
  const text = [
    item.summary,
    item.requestId,
    item.spId,
    item.actionType,
    item.actionCategory ?? "",
    ...principalText(item.principal),
    ...entryText(item.action.details ?? []),
  ]
    .join(" ")
    .toLowerCase();
  return words.every((w) => text.includes(w));
}
