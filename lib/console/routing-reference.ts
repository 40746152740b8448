/**
 * The reference shown beside the routing editor: every field a script can read under `request`
 * and `config`, derived from the schemas the gateway validates with (zod → JSON Schema), so the
 * list cannot drift from what the gateway actually accepts. Only the prose notes are written here.
 */
import { z } from "zod";
import { createAuthorizationRequestSchema, type RoutingConfig } from "@/lib/stepauth";

/** `config` as the script sees it (PROTOCOL.md, "Routing scripts": pinned). */
export const routingConfigSchema = z.object({
  authorizers: z.array(z.string()).describe("Names of the enabled authorizers"),
  default: z.string().describe("Name of the default authorizer: where every fallback goes"),
});
// The schema must describe the config the router really passes.
const configMatches: z.infer<typeof routingConfigSchema> extends RoutingConfig ? true : never = true;
void configMatches;

export interface RoutingField {
  /** e.g. `request.action.details.<key>` */
  path: string;
  /** CEL-ish type: string, list(string), "human" | "service" | "agent", map… */
  type: string;
  required: boolean;
  note?: string;
}

type JsonSchema = {
  type?: string;
  enum?: string[];
  format?: string;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  $ref?: string;
  $defs?: Record<string, JsonSchema>;
  description?: string;
};

// Prose only: what a field is for. Paths without a note still appear (they come from the schema).
const notes: Record<string, string> = {
  "request.requestId": "Assigned by the gateway",
  "request.spId": "Your tenant's id at the authorizer; differs per target",
  "request.timestamp": "When the gateway built the request (UTC)",
  "request.callbackUrl": "Absent for poll-only authorizers: test with has(request.callbackUrl)",
  "request.expiresAt": "When the request expires unanswered",
  "request.principal.attributes.<key>":
    "Each attribute by its key, e.g. request.principal.attributes.email; a nested list is a map",
  "request.principal.operator": "Who operates the principal: same fields as request.principal, down the chain",
  "request.action.category": "Optional: test with has(request.action.category)",
  "request.action.details.<key>":
    "Each detail by its key, e.g. request.action.details.amount (always a string); a nested list is a map",
};

function resolve(schema: JsonSchema, root: JsonSchema): JsonSchema {
  if (!schema.$ref) return schema;
  const name = schema.$ref.replace("#/$defs/", "");
  return root.$defs?.[name] ?? {};
}

const isEntryList = (s: JsonSchema, root: JsonSchema) => {
  const r = resolve(s, root);
  return r.type === "array" && Boolean(resolve(r.items ?? {}, root).properties?.key);
};

function typeOf(s: JsonSchema): string {
  if (s.enum) return s.enum.map((v) => `"${v}"`).join(" | ");
  if (s.type === "array") return `list(${s.items?.type ?? "value"})`;
  if (s.format === "date-time") return "string (timestamp)";
  return s.type ?? "value";
}

function walk(
  schema: JsonSchema,
  root: JsonSchema,
  path: string,
  required: boolean,
  seen: Set<string>,
  out: RoutingField[],
): void {
  const ref = schema.$ref;
  const s = resolve(schema, root);
  if (isEntryList(schema, root)) {
    out.push({ path: `${path}.<key>`, type: "string | map", required: false, note: notes[`${path}.<key>`] });
    return;
  }
  if (ref && seen.has(ref)) {
    out.push({ path, type: "map", required, note: notes[path] });
    return;
  }
  if (s.type === "object" && s.properties) {
    const inner = ref ? new Set([...seen, ref]) : seen;
    for (const [key, child] of Object.entries(s.properties))
      walk(child, root, `${path}.${key}`, (s.required ?? []).includes(key) && required, inner, out);
    return;
  }
  out.push({ path, type: typeOf(s), required, note: notes[path] ?? s.description });
}

/** Every field of `request` and `config` a routing script can read, in schema order. */
export function routingReferenceFields(): RoutingField[] {
  const out: RoutingField[] = [];
  const request = z.toJSONSchema(createAuthorizationRequestSchema(), {
    unrepresentable: "any",
    io: "input",
  }) as JsonSchema;
  walk(request, request, "request", true, new Set(), out);
  const config = z.toJSONSchema(routingConfigSchema) as JsonSchema;
  walk(config, config, "config", true, new Set(), out);
  return out;
}
