// A gateway instance in its own process, for the crash test: the real route handlers over HTTP on
// 127.0.0.1:$PORT and the real background worker, on the database in DATABASE_URL.
import * as requestItem from "@/app/api/v1/authorization-requests/[requestId]/route";
import * as requestCollection from "@/app/api/v1/authorization-requests/route";
import * as execution from "@/app/api/v1/authorization-requests/[requestId]/execution/route";
import * as callback from "@/app/api/stepauth/callback/[authorizerId]/route";
import "@/lib/gateway/jobs";
import "@/lib/sandbox/jobs";
import { startWorker } from "@/lib/jobs/worker";
import { startAppServer } from "./app-server";

const server = await startAppServer(
  {
    "/api/v1/authorization-requests": requestCollection,
    "/api/v1/authorization-requests/:requestId": requestItem,
    // A service claims an approved request's execution here before it runs it, and reports the result.
    "/api/v1/authorization-requests/:requestId/execution": execution,
    "/api/stepauth/callback/:authorizerId": callback,
  },
  Number(process.env.PORT),
);
startWorker({ idleDelayMs: 100 });
console.log(`ready ${server.url}`);
