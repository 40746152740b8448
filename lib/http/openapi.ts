import { errorStatus } from "@/lib/errors/app-error";

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const json = (schema: object) => ({ content: { "application/json": { schema } } });
const errors = (...statuses: number[]) =>
  Object.fromEntries(statuses.map((s) => [String(s), { description: "Error", ...json(ref("Error")) }]));
const requestIdParam = {
  name: "requestId",
  in: "path",
  required: true,
  schema: { type: "string", pattern: "^req_[A-Za-z0-9_-]{16,124}$" },
};
const op = (summary: string, scope: string, extra: object) => ({
  summary,
  security: [{ apiKey: [] }],
  "x-required-scope": scope,
  ...extra,
});

/** The public API as OpenAPI 3.1, served at /api/v1/openapi.json. Error codes come from the one status table. */
export const openApiDocument = {
  openapi: "3.1.0",
  info: {
    title: "StepAuth Gateway API",
    version: "1",
    description:
      "Put human or policy review in front of sensitive actions. Authenticate with `Authorization: Bearer <API key>`.",
  },
  servers: [{ url: "/" }],
  components: {
    securitySchemes: {
      apiKey: { type: "http", scheme: "bearer", description: "An API key (sag_…) created in the console" },
    },
    schemas: {
      Error: {
        type: "object",
        required: ["error", "message"],
        properties: {
          error: { type: "string", enum: Object.keys(errorStatus) },
          message: { type: "string" },
          details: {},
        },
      },
      Entry: {
        type: "object",
        required: ["key", "label", "value"],
        properties: {
          key: { type: "string", pattern: "^[A-Za-z_][A-Za-z0-9_]{0,63}$" },
          label: { type: "string" },
          value: { oneOf: [{ type: "string" }, { type: "array", items: ref("Entry") }] },
        },
      },
      Principal: {
        type: "object",
        required: ["type", "attributes"],
        properties: {
          type: { enum: ["human", "service", "agent"] },
          attributes: { type: "array", items: ref("Entry") },
          operator: ref("Principal"),
        },
        description: "At most 5 principals in the chain; a human has no operator.",
      },
      Action: {
        type: "object",
        required: ["type", "summary"],
        properties: {
          type: { type: "string" },
          category: { type: "string", examples: ["infra.destroy", "financial.transfer"] },
          summary: { type: "string", maxLength: 4000, description: "The consequence of approval, for the reviewer." },
          details: { type: "array", items: ref("Entry") },
        },
      },
      SubmitRequest: {
        type: "object",
        required: ["principal", "action"],
        additionalProperties: false,
        properties: {
          principal: ref("Principal"),
          action: ref("Action"),
          expiresIn: { type: "integer", minimum: 30, maximum: 604800 },
          externalId: { type: "string", maxLength: 200 },
        },
      },
      ExecutionTerms: {
        type: "object",
        required: ["claimUrl", "payloadSha256", "windowClosesAt"],
        description: "What a service needs to claim an approved execution before it runs it (claim before run).",
        properties: {
          claimUrl: {
            type: "string",
            format: "uri",
            description: "Absolute URL of POST /api/v1/authorization-requests/{requestId}/execution",
          },
          payloadSha256: {
            type: "string",
            pattern: "^[0-9a-f]{64}$",
            description:
              "Lowercase hex SHA-256 of the exact approved payload bytes: the UTF-8 request payload the gateway signed for the authorizer whose " +
              "decision approved it (the base64-decoded payload of that submission envelope). Without a deciding authorizer (routing $approve, fail-open): " +
              "of JSON.stringify({principal, action}) as the webhook carries them.",
          },
          windowClosesAt: {
            type: "string",
            format: "date-time",
            description: "Claims from this moment answer 410 execution_window_closed",
          },
        },
      },
      ExecutionClaim: {
        type: "object",
        required: ["requestId", "claimed", "payloadSha256", "windowClosesAt", "failOpen", "principal", "action"],
        properties: {
          requestId: { type: "string" },
          claimed: { const: true },
          payloadSha256: { type: "string" },
          windowClosesAt: { type: "string", format: "date-time" },
          failOpen: { type: "boolean" },
          principal: ref("Principal"),
          action: ref("Action"),
        },
      },
      ExecuteWebhook: {
        type: "object",
        description:
          "Standard Webhooks delivery (webhook-id = requestId). Answer {status: success|error, error?} once the action ran, or {status: accepted} when you claimed it and report the result through the claim API.",
        properties: {
          type: { type: "string", examples: ["authorization.approved", "authorization.denied"] },
          timestamp: { type: "string", format: "date-time" },
          data: {
            type: "object",
            properties: {
              requestId: { type: "string" },
              externalId: { type: ["string", "null"] },
              status: { type: "string" },
              execute: {
                type: "boolean",
                description: "True only for an approval whose execution window is still open",
              },
              failOpen: { type: "boolean" },
              reason: { type: ["string", "null"] },
              decision: { type: ["object", "null"] },
              principal: ref("Principal"),
              action: ref("Action"),
              execution: {
                oneOf: [ref("ExecutionTerms"), { type: "null" }],
                description: "Set for approvals: claim before you run",
              },
            },
          },
        },
      },
      RequestView: {
        type: "object",
        properties: {
          requestId: { type: "string" },
          externalId: { type: ["string", "null"] },
          status: { enum: ["pending", "approved", "denied", "expired", "cancelled"] },
          statusReason: {
            type: ["string", "null"],
            examples: ["authorizer_unavailable", "fail_open", "routing_deny", "expired"],
          },
          failOpen: { type: "boolean" },
          summary: { type: "string" },
          expiresAt: { type: "string", format: "date-time" },
          routing: {
            type: "object",
            properties: {
              targets: { type: "array", items: { type: "string" } },
              fallbackReason: { type: ["string", "null"] },
            },
          },
          decision: {
            type: ["object", "null"],
            properties: {
              decision: { type: "string" },
              authorizer: { type: ["string", "null"] },
              keyId: { type: ["string", "null"] },
              signed: { type: "boolean" },
              reason: { type: ["string", "null"] },
              reviewers: {},
            },
          },
          execution: {
            type: "object",
            properties: {
              state: { enum: ["awaiting_claim", "not_applicable", "executing", "succeeded", "failed"] },
              channel: {
                enum: ["api", "webhook", "window_closed"],
                description:
                  "api: claimed through the claim API; webhook: a webhook answer with no claim before it; window_closed: no claim within the window",
              },
              windowClosesAt: {
                type: ["string", "null"],
                format: "date-time",
                description: "For an approval: claims are refused from this moment",
              },
              resultReportedAt: { type: ["string", "null"], format: "date-time" },
              resultReportedVia: { type: ["string", "null"], enum: ["callback", "result_report", "unsupported", null] },
            },
          },
          events: { type: "array", items: { type: "object" } },
        },
      },
    },
  },
  webhooks: {
    authorization: {
      post: {
        summary: "The service webhook: a request's final state; approvals carry data.execution",
        requestBody: json(ref("ExecuteWebhook")),
        responses: { "200": { description: "{status: success|error|accepted, error?}" } },
      },
    },
  },
  paths: {
    "/api/v1/authorization-requests": {
      post: op("Submit a sensitive action for authorization", "requests:write", {
        parameters: [
          {
            name: "Idempotency-Key",
            in: "header",
            schema: { type: "string", maxLength: 200 },
            description: "Same key and body → the same answer; another body → 422 idempotency_key_reused.",
          },
        ],
        requestBody: { required: true, ...json(ref("SubmitRequest")) },
        responses: {
          "200": {
            description: "Final at once (routing, immediate decision, fail-closed or fail-open)",
            ...json(ref("RequestView")),
          },
          "202": { description: "Pending review", ...json(ref("RequestView")) },
          ...errors(400, 401, 403, 409, 413, 415, 422, 429),
        },
      }),
      get: op("List requests (newest first, keyset pagination)", "requests:read", {
        parameters: [
          "status",
          "actionType",
          "category",
          "principalType",
          "authorizer",
          "from",
          "to",
          "q",
          "limit",
          "cursor",
        ].map((name) => ({ name, in: "query", schema: { type: "string" } })),
        responses: {
          "200": {
            description: "A page",
            ...json({
              type: "object",
              properties: {
                data: { type: "array", items: ref("RequestView") },
                nextCursor: { type: ["string", "null"] },
              },
            }),
          },
          ...errors(400, 401, 403),
        },
      }),
    },
    "/api/v1/authorization-requests/{requestId}": {
      get: op("A request with its decision, execution and timeline", "requests:read", {
        parameters: [
          requestIdParam,
          {
            name: "wait",
            in: "query",
            schema: { type: "integer", minimum: 0, maximum: 30 },
            description:
              "Long-poll up to N seconds while pending (at most 20 concurrent per API key and 50 per tenant by default; beyond, 429 with Retry-After)",
          },
        ],
        responses: {
          "200": { description: "The request", ...json(ref("RequestView")) },
          ...errors(400, 401, 404, 429),
        },
      }),
    },
    "/api/v1/authorization-requests/{requestId}/cancel": {
      post: op("Cancel at every authorizer; nothing executes afterwards", "requests:write", {
        parameters: [requestIdParam],
        responses: {
          "200": { description: "Cancelled", ...json(ref("RequestView")) },
          "409": { description: "A decision already won (included)" },
          ...errors(401, 404),
        },
      }),
    },
    "/api/v1/authorization-requests/{requestId}/execution": {
      post: op(
        "Claim the execution of an approved request (empty body or {payloadSha256}; 200 once), or report its result ({status, error?})",
        "requests:write",
        {
          description:
            "Claim before run: the first claim wins (200); every later claim is 409 already_claimed with details.execution {status: executing|success|error, error, channel}, " +
            "so a redelivered webhook never runs twice. A payloadSha256 other than the approved payload's is 409 payload_mismatch. A claim after the execution " +
            "window is 410 execution_window_closed (recorded, and reported to the authorizer as an error result). Reporting {status, error?} records the result " +
            "of a claimed execution once (a second report: 409 conflict) and sends it to the deciding authorizer as a result report.",
          parameters: [requestIdParam],
          requestBody: {
            required: false,
            ...json({
              oneOf: [
                {
                  type: "object",
                  additionalProperties: false,
                  properties: { payloadSha256: { type: "string", pattern: "^[0-9a-f]{64}$" } },
                },
                {
                  type: "object",
                  additionalProperties: false,
                  required: ["status"],
                  properties: { status: { enum: ["success", "error"] }, error: { type: "string", maxLength: 2000 } },
                },
              ],
            }),
          },
          responses: {
            "200": {
              description: "Claimed (ExecutionClaim) or recorded ({requestId, status: succeeded|failed, error})",
              ...json({ oneOf: [ref("ExecutionClaim"), { type: "object" }] }),
            },
            ...errors(400, 401, 404, 409, 410),
          },
        },
      ),
    },
    "/api/v1/authorizers": {
      get: op("List authorizers", "admin", { responses: { "200": { description: "Authorizers" } } }),
      post: op("Add an authorizer", "admin", { responses: { "201": { description: "Created" }, ...errors(400, 409) } }),
    },
    "/api/v1/authorizers/{name}": {
      get: op("An authorizer", "admin", { responses: { "200": { description: "The authorizer" }, ...errors(404) } }),
      patch: op("Change an authorizer (exactly one default per tenant)", "admin", {
        description:
          "Removing a public key that verified an accepted decision in the last 7 days is refused with 409 confirmation_required (details.keysInUse) unless confirmRemovedKeyIds names it.",
        responses: { "200": { description: "Updated" }, ...errors(400, 404, 409) },
      }),
      delete: op("Delete an authorizer", "admin", {
        description:
          "The default authorizer is never deleted (409 default_authorizer). One that pending requests wait on needs confirmName repeating its name (else 409 confirmation_required, details.pendingRequests).",
        requestBody: {
          required: false,
          ...json({ type: "object", additionalProperties: false, properties: { confirmName: { type: "string" } } }),
        },
        responses: { "204": { description: "Deleted" }, ...errors(400, 404, 409) },
      }),
    },
    "/api/v1/signing-keys": {
      get: op("The tenant's signing keys (public halves only)", "admin", {
        responses: { "200": { description: "Keys" } },
      }),
      post: op("Create a key (active if none, else next: dual signing)", "admin", {
        responses: { "201": { description: "Created" }, ...errors(409) },
      }),
    },
    "/api/v1/signing-keys/{keyId}/activate": {
      post: op("Activate the next key", "admin", {
        responses: { "200": { description: "Activated" }, ...errors(404, 409) },
      }),
    },
    "/api/v1/signing-keys/{keyId}/retire": {
      post: op("Retire a key", "admin", {
        description:
          "Retiring an active key is refused with 409 signing_key_in_use (details.authorizers lists them) while an enabled authorizer " +
          'has not been shown to accept a remaining key (console: "Test with the new key only"), unless confirmKeyId repeats the key id.',
        requestBody: {
          required: false,
          ...json({ type: "object", additionalProperties: false, properties: { confirmKeyId: { type: "string" } } }),
        },
        responses: { "200": { description: "Retired" }, ...errors(400, 404, 409) },
      }),
    },
    "/api/v1/settings": {
      get: op("Tenant settings", "admin", { responses: { "200": { description: "Settings" } } }),
      put: op(
        "Change settings (routing script, unavailability policy, retries, lifetime, executionWindowSeconds 60-86400, webhook; rotateWebhookSecret keeps the old secret signing too for webhookSecretGraceSeconds, default 86400)",
        "admin",
        { responses: { "200": { description: "Updated; a new webhook secret is shown once" }, ...errors(400, 409) } },
      ),
    },
    "/api/v1/routing/test": {
      post: op("Evaluate a routing script against a sample request", "admin", {
        responses: {
          "200": { description: "Targets or the fallback reason, with issues and positions" },
          ...errors(400),
        },
      }),
    },
    "/api/v1/api-keys": {
      get: op("API keys (never their secrets)", "admin", { responses: { "200": { description: "Keys" } } }),
      post: op("Create an API key; its secret is in this answer only", "admin", {
        responses: { "201": { description: "Created" }, ...errors(400) },
      }),
    },
    "/api/v1/api-keys/{id}": {
      get: op("An API key", "admin", { responses: { "200": { description: "The key" }, ...errors(404) } }),
      delete: op("Revoke an API key", "admin", {
        description:
          "A key used in the last 7 days needs confirmName repeating its name (else 409 confirmation_required).",
        requestBody: {
          required: false,
          ...json({ type: "object", additionalProperties: false, properties: { confirmName: { type: "string" } } }),
        },
        responses: { "200": { description: "Revoked" }, ...errors(400, 404, 409) },
      }),
    },
    "/api/v1/audit-events": {
      get: op(
        "Configuration audit trail (newest first, keyset pagination; refused callbacks summarised per authorizer and minute)",
        "admin",
        {
          parameters: [
            { name: "limit", in: "query", schema: { type: "integer", minimum: 1, maximum: 200, default: 100 } },
            { name: "cursor", in: "query", schema: { type: "string" } },
          ],
          responses: {
            "200": {
              description: "A page",
              ...json({
                type: "object",
                properties: {
                  data: { type: "array", items: { type: "object" } },
                  nextCursor: { type: ["string", "null"] },
                },
              }),
            },
            ...errors(400, 401, 403),
          },
        },
      ),
    },
    "/api/v1/audit/verify": {
      get: op(
        "Verify the tamper-evident audit trail: hash chains, signed checkpoints and request rows against their sealed timelines, over [from, to]",
        "requests:read",
        {
          parameters: [
            { name: "from", in: "query", schema: { type: "string", format: "date-time" } },
            { name: "to", in: "query", schema: { type: "string", format: "date-time" } },
          ],
          responses: {
            "200": {
              description: "The verdict; ok false names the first broken entry",
              ...json({
                type: "object",
                required: ["ok", "entriesChecked", "checkpointsChecked"],
                properties: {
                  ok: { type: "boolean" },
                  entriesChecked: { type: "integer" },
                  checkpointsChecked: { type: "integer" },
                  unsealedEntries: { type: "integer" },
                  purgedEntries: { type: "integer" },
                  firstFailure: {
                    type: "object",
                    properties: { id: { type: "string" }, kind: { type: "string" }, why: { type: "string" } },
                  },
                },
              }),
            },
            ...errors(400, 401, 403),
          },
        },
      ),
    },
    "/api/stepauth/callback/{authorizerId}": {
      post: {
        summary: "Authorizer callback: envelope(decision) in, execution result out (StepAuth wire profile)",
        security: [],
        responses: {
          "200": {
            description:
              "{requestId, status: success|error, error?} when the result is known within 5 s; otherwise {requestId, status: accepted} and the result follows as a signed result report (POST /v1/authorization-requests/result at the authorizer)",
          },
          ...errors(400, 401, 404, 409),
        },
      },
    },
  },
} as const;
