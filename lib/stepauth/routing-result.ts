/**
 * Interpretation of a routing script's value: authorizer names, an immediate `$approve`/`$deny`,
 * or a fallback to the default authorizer with a machine-readable reason. Never throws.
 */

/** Tokens that decide at once, without contacting an authorizer (logged as unsigned). */
export const IMMEDIATE_TOKENS = { $approve: "approved", $deny: "denied" } as const;

/** An immediate-decision token. */
export type ImmediateToken = keyof typeof IMMEDIATE_TOKENS;

/** Why routing fell back to the default authorizer. */
export type RoutingFallbackReason =
  | "invalid_script"
  | "syntax_error"
  | "type_error"
  | "runtime_error"
  | "timeout"
  | "not_a_string_list"
  | "empty_list"
  | "unknown_authorizer"
  | "unknown_token"
  | "mixed_tokens";

/** The tenant's authorizer configuration as the script sees it (`config`). */
export interface RoutingConfig {
  /** Names of the active authorizers. */
  authorizers: readonly string[];
  /** Name of the `isDefault` authorizer: the fallback target. */
  default: string;
}

/** The routing outcome; `targets` is what the vectors call the result. */
export type RoutingOutcome =
  | { kind: "authorizers"; targets: string[]; fallback: false; source: "script" | "no_script" }
  | { kind: "immediate"; targets: [ImmediateToken]; decision: "approved" | "denied"; fallback: false }
  | { kind: "fallback"; targets: [string]; fallback: true; reason: RoutingFallbackReason; message: string };

/**
 * The fallback outcome: the default authorizer, with the reason for the audit log.
 *
 * @example
 * ```ts
 * fallbackOutcome(config, "empty_list", "script returned []").targets; // [config.default]
 * ```
 */
export function fallbackOutcome(config: RoutingConfig, reason: RoutingFallbackReason, message: string): RoutingOutcome {
  return { kind: "fallback", targets: [config.default], fallback: true, reason, message };
}

/**
 * Turns the value a script returned into a {@link RoutingOutcome}.
 *
 * @example
 * ```ts
 * interpretRoutingValue(["security-team"], { authorizers: ["default", "security-team"], default: "default" });
 * // { kind: "authorizers", targets: ["security-team"], fallback: false, source: "script" }
 * ```
 */
export function interpretRoutingValue(value: unknown, config: RoutingConfig): RoutingOutcome {
  if (!Array.isArray(value)) return fallbackOutcome(config, "not_a_string_list", "script did not return a list");
  // Fast path for the common single-authorizer answer.
  if (value.length === 1) {
    const only: unknown = value[0];
    if (typeof only === "string" && only.charCodeAt(0) !== 36 && config.authorizers.includes(only)) {
      return { kind: "authorizers", targets: [only], fallback: false, source: "script" };
    }
  }
  if (value.length === 0) return fallbackOutcome(config, "empty_list", "script returned an empty list");
  let tokens = 0;
  for (const item of value) {
    if (typeof item !== "string") return fallbackOutcome(config, "not_a_string_list", "list holds a non-string");
    if (item.charCodeAt(0) === 36 /* $ */) tokens += 1;
  }
  if (tokens > 0) {
    if (value.length > 1) return fallbackOutcome(config, "mixed_tokens", "a $ token must be the only element");
    const token = value[0] as string;
    if (!Object.hasOwn(IMMEDIATE_TOKENS, token))
      return fallbackOutcome(config, "unknown_token", `unknown token ${token}`);
    const immediate = token as ImmediateToken;
    return { kind: "immediate", targets: [immediate], decision: IMMEDIATE_TOKENS[immediate], fallback: false };
  }
  const targets: string[] = [];
  for (const name of value as string[]) {
    if (!config.authorizers.includes(name)) {
      return fallbackOutcome(config, "unknown_authorizer", `no active authorizer named "${name}"`);
    }
    if (!targets.includes(name)) targets.push(name);
  }
  return { kind: "authorizers", targets, fallback: false, source: "script" };
}
