"use client";

import { useState } from "react";
import { Button } from "./button";

/** Copies `value` to the clipboard and says so (politely, for screen readers too). */
export function CopyButton({
  value,
  label = "Copy",
  text = "Copy",
  size = "sm",
}: {
  value: string;
  label?: string;
  text?: string;
  size?: "sm" | "md";
}) {
  const [copied, setCopied] = useState(false);
  async function copy() {
    await navigator.clipboard.writeText(value).catch(() => undefined);
    setCopied(true);
    setTimeout(() => setCopied(false), 2000);
  }
  return (
    <Button type="button" variant="secondary" size={size} onClick={copy} aria-label={label}>
      <span aria-live="polite">{copied ? "Copied" : text}</span>
    </Button>
  );
}

/** A read-only value with a copy button beside it (URLs, public keys). */
export function CopyField({ label, value }: { label: string; value: string }) {
  return (
    <div className="flex min-w-0 items-center gap-2">
      <code
        className="block min-w-0 flex-1 truncate rounded-md bg-slate-50 px-2.5 py-1.5 font-mono text-xs text-slate-800 ring-1 ring-slate-200"
        title={value}
      >
        {value}
      </code>
      <CopyButton value={value} label={label} />
    </div>
  );
}
