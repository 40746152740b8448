import { apiKeyScopes, memberRole, requestStatus } from "@/db/schema";

// The values of enum columns, for the input schemas outside db/ (which import only types from @/db/schema):
// a filter or a body is validated against exactly what the column accepts.

export const requestStatuses = requestStatus.enumValues;
export const memberRoles = memberRole.enumValues;
export { apiKeyScopes };
