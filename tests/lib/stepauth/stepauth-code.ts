import { expect } from "vitest";
import { StepAuthError } from "../../../lib/stepauth/errors";

/** The StepAuthError code `fn` throws (anything else thrown fails the test), or undefined when it returns. */
export function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(StepAuthError);
    return (err as StepAuthError).code;
  }
  return undefined;
}
