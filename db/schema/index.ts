export * from "./tenants";
export * from "./api-keys";
export * from "./audit";
export * from "./rate-limits";
export * from "./gateway-config";
export * from "./authorization-requests";
export * from "./jobs";
export * from "./sandbox-authorizer";
