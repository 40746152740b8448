/**
 * Rules for text that a person reads (summaries, labels, values, names, reasons): it must display as
 * what it is. Bidirectional controls and invisible format characters can make `"\u202Egnp.exe"` show
 * as "exe.png" or an amount show reversed; C0 controls (NUL above all) and lone surrogates cannot be
 * stored in PostgreSQL text or jsonb and have no business in a reviewed field.
 */
import { z } from "zod";

/** Bidi embeddings/overrides/isolates, zero-width characters, LRM/RLM and the BOM (U+FEFF). */
const INVISIBLE_FORMAT = /[\u200B-\u200F\u202A-\u202E\u2066-\u2069\uFEFF]/u;
/** C0 controls except tab, line feed and carriage return, and DEL. */
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/u;
/** A high surrogate not followed by a low one, or a low surrogate not preceded by a high one. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** Why a text cannot be shown to a reviewer; a data table, checked in order. */
export const READABLE_TEXT_PROBLEMS = [
  { code: "lone_surrogate", pattern: LONE_SURROGATE, message: "contains an unpaired UTF-16 surrogate" },
  { code: "control_character", pattern: CONTROL, message: "contains a control character" },
  {
    code: "invisible_format_character",
    pattern: INVISIBLE_FORMAT,
    message: "contains a bidirectional or invisible formatting character",
  },
] as const;

export type ReadableTextProblem = (typeof READABLE_TEXT_PROBLEMS)[number]["code"];

/**
 * The first reason `text` cannot be stored or shown as it reads, or null when it can.
 *
 * @example
 * ```ts
 * readableTextProblem("Wipe MacBook"); // null
 * readableTextProblem("\u202Egnp.exe"); // "invisible_format_character"
 * ```
 */
export function readableTextProblem(text: string): ReadableTextProblem | null {
  // The one regex that matches nothing in ordinary text runs first, so plain ASCII costs one scan.
  if (!/[^\x20-\x7e]/.test(text)) return null;
  return READABLE_TEXT_PROBLEMS.find((problem) => problem.pattern.test(text))?.code ?? null;
}

/**
 * The first reason `text` cannot be stored at all (control characters and lone surrogates), ignoring
 * invisible format characters: for free text that is not shown to a reviewer as a decision basis.
 *
 * @example
 * ```ts
 * storableTextProblem("a\u0000b"); // "control_character"
 * ```
 */
export function storableTextProblem(text: string): ReadableTextProblem | null {
  const problem = readableTextProblem(text);
  return problem === "invisible_format_character" ? null : problem;
}

/**
 * A zod refinement for a field a person reads: the issue names the field and the problem.
 *
 * @example
 * ```ts
 * z.string().superRefine(refineReadable("summary"));
 * ```
 */
export function refineReadable(field: string) {
  return (text: string, ctx: z.RefinementCtx): void => {
    const code = readableTextProblem(text);
    if (!code) return;
    const { message } = READABLE_TEXT_PROBLEMS.find((problem) => problem.code === code)!;
    ctx.addIssue({ code: "custom", message: `${field} ${message}`, params: { problem: code } });
  };
}

/**
 * A string schema for a field a person reads.
 *
 * @example
 * ```ts
 * readableString("label").parse("Serial"); // "Serial"
 * ```
 */
export function readableString(field: string) {
  return z.string().superRefine(refineReadable(field));
}
