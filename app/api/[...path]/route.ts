import { AppError, errorResponse } from "@/lib/errors/app-error";

// Unknown paths under /api answer JSON, never Next's HTML 404 page.
async function notFound(request: Request): Promise<Response> {
  return errorResponse(new AppError("not_found", `No API route at ${new URL(request.url).pathname}`));
}

export const GET = notFound;
export const POST = notFound;
export const PUT = notFound;
export const PATCH = notFound;
export const DELETE = notFound;
