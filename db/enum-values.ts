import { apiKeyScopes, memberRole, requestStatus } from "./schema";

// The schema's enum value lists as plain arrays, for input validation (`z.enum(memberRoles)`)
// outside db/, which may import types but no values from the schema (eslint.config.mjs).
export { apiKeyScopes };
export const memberRoles = memberRole.enumValues;
export const requestStatuses = requestStatus.enumValues;
