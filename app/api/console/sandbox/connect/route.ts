import { connectSandboxAuthorizer } from "@/lib/sandbox";
import { apiRoute, json, withConsoleSession } from "@/lib/http/api-route";

// One click in the console: register this tenant with the sandbox and add it as an authorizer.
export const { GET, POST, PUT, PATCH, DELETE } = apiRoute({
  POST: withConsoleSession("config:write", async ({ db, ctx }) => {
    const { authorizer, registration, created } = await connectSandboxAuthorizer(db, ctx);
    return json(
      {
        created,
        authorizer: {
          id: authorizer.id,
          name: authorizer.name,
          endpoint: authorizer.endpoint,
          spId: authorizer.spId,
          isDefault: authorizer.isDefault,
        },
        registration: {
          spId: registration.spId,
          callbackUrlPattern: registration.callbackUrlPattern,
          keyIds: registration.publicKeys.map((k) => k.keyId),
          rules: registration.policyRules,
        },
      },
      created ? 201 : 200,
    );
  }),
});
