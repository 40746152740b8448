"use client";

import { useRef, type ChangeEvent } from "react";

export interface EditorIssue {
  line: number;
  column: number;
  message: string;
  code: string;
}

/**
 * A plain textarea with a line-number gutter that marks lines with issues. Plain text keeps
 * keyboard use, selection and screen readers exactly as the browser does them.
 */
export function CodeEditor({
  id,
  value,
  onChange,
  issues,
  readOnly,
  describedBy,
}: {
  id: string;
  value: string;
  onChange: (value: string) => void;
  issues: EditorIssue[];
  readOnly?: boolean;
  describedBy?: string;
}) {
  const gutter = useRef<HTMLDivElement>(null);
  const lines = Math.max(value.split("\n").length, 8);
  const errorLines = new Set(issues.map((i) => i.line));
  return (
    <div
      className={`flex overflow-hidden rounded-lg font-mono text-sm ring-1 focus-within:ring-2 ${issues.length > 0 ? "ring-red-300 focus-within:ring-red-400" : "ring-slate-300 focus-within:ring-brand-500"}`}
    >
      <div
        ref={gutter}
        aria-hidden
        data-testid="line-numbers"
        className="select-none overflow-hidden bg-slate-50 py-3 text-right text-xs leading-6 text-slate-600"
      >
        {Array.from({ length: lines }, (_, i) => (
          <div
            key={i}
            data-error-line={errorLines.has(i + 1) ? i + 1 : undefined}
            className={`px-3 ${errorLines.has(i + 1) ? "bg-red-100 font-semibold text-red-700" : ""}`}
          >
            {i + 1}
          </div>
        ))}
      </div>
      <textarea
        id={id}
        value={value}
        readOnly={readOnly}
        spellCheck={false}
        wrap="off"
        rows={lines}
        aria-invalid={issues.length > 0}
        aria-describedby={describedBy}
        onScroll={(e) => {
          if (gutter.current) gutter.current.scrollTop = e.currentTarget.scrollTop;
        }}
        onChange={(e: ChangeEvent<HTMLTextAreaElement>) => onChange(e.target.value)}
        className="block min-h-48 w-full resize-y border-0 bg-white px-3 py-3 text-sm leading-6 text-slate-900 focus:outline-none focus:ring-0"
      />
    </div>
  );
}
