import {
  apiKeyScopes,
  deliveryStatus,
  executionStatus,
  memberRole,
  requestStatus,
  signingKeyState,
  targetState,
  unavailabilityPolicy,
} from "./schema";

// The values of enum columns as plain lists, for input and response schemas outside db/ (which may import
// types but no values from the schema: eslint.config.mjs): a filter or a body is validated against exactly
// what the column accepts (`z.enum(memberRoles)`).
export { apiKeyScopes };
export const memberRoles = memberRole.enumValues;
export const requestStatuses = requestStatus.enumValues;
export const targetStates = targetState.enumValues;
export const executionStatuses = executionStatus.enumValues;
export const deliveryStatuses = deliveryStatus.enumValues;
export const signingKeyStates = signingKeyState.enumValues;
export const unavailabilityPolicies = unavailabilityPolicy.enumValues;
