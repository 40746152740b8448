export * from "./tenants";
export * from "./api-keys";
export * from "./audit";
export * from "./rate-limits";
