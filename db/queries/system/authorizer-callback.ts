import { eq } from "drizzle-orm";
import type { Database } from "@/db/client";
import { authorizers, type Authorizer } from "@/db/schema";

// Deliberately cross-tenant: `POST /api/stepauth/callback/{authorizerId}` knows its tenant only
// through the authorizer's opaque id in the URL (lib/auth/system-context.ts issues the context).

/** The authorizer a callback URL names, of whichever tenant owns it, or null. */
export async function findAuthorizerForCallback(db: Database, authorizerId: string): Promise<Authorizer | null> {
  const [row] = await db.select().from(authorizers).where(eq(authorizers.id, authorizerId));
  return row ?? null;
}
