import { z } from "zod";
import { AppError } from "@/lib/errors/app-error";
import { receiveDecisionCallback } from "@/lib/gateway/callback";
import { apiRoute, json, withSignedEnvelope } from "@/lib/http/api-route";
import { readJsonBody, uuidParam } from "@/lib/http/json-body";

export const { GET, POST, PUT, PATCH, DELETE } = apiRoute({
  POST: withSignedEnvelope<{ authorizerId: string }>(async ({ db, request, params }) => {
    let authorizerId: string;
    try {
      authorizerId = uuidParam(params.authorizerId, "authorizer");
    } catch {
      throw new AppError("unknown_request", "No authorizer with this callback URL");
    }
    const envelope = await readJsonBody(request, z.unknown());
    return json(await receiveDecisionCallback(db, authorizerId, envelope));
  }),
});
