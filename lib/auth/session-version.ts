import { z } from "zod";
import type { Database } from "@/db/client";
import { findUserById, findUserBySession } from "@/db/queries/users";
import type { User } from "@/db/schema";

/** The claim in the session token that holds the user's session version at sign-in. */
export const sessionVersionClaim = "sv";

/** What this app reads from a decoded session token. */
export interface SessionClaims {
  sub?: string | null;
  [sessionVersionClaim]?: unknown;
}

/**
 * The user a session token belongs to, or null when the token was ended server-side: its version is
 * not the user's current one (signed out, password changed, removed) or it predates versions. Read
 * from the database on every request, not cached, so an ended session stops at once on every instance.
 */
export async function liveSessionUser(db: Database, claims: SessionClaims | null | undefined): Promise<User | null> {
  const version = claims?.[sessionVersionClaim];
  if (!z.uuid().safeParse(claims?.sub).success || typeof version !== "number" || !Number.isInteger(version))
    return null;
  return findUserBySession(db, claims!.sub!, version);
}

/** The session version to stamp into a new session token for `userId`, or null for an unknown user. */
export async function currentSessionVersion(db: Database, userId: string): Promise<number | null> {
  return (await findUserById(db, userId))?.sessionVersion ?? null;
}
