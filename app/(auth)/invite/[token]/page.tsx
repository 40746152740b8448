import type { Metadata } from "next";
import Link from "next/link";
import { AuthCard } from "@/components/auth/auth-card";
import { Button, LinkButton } from "@/components/ui/button";
import { getDb } from "@/db/client";
import { findPendingInvitation } from "@/db/queries/system/invitations";
import { findUserByEmail } from "@/db/queries/users";
import { auth } from "@/lib/auth/config";
import { AcceptSignedInForm, NewAccountForm } from "./accept-forms";
import { signOutToAcceptAction } from "./actions";

export const metadata: Metadata = { title: "Invitation", referrer: "no-referrer" };
export const dynamic = "force-dynamic";

/**
 * An invitation link. A new person sets their own name and password; an existing account must be
 * signed in as itself to accept, so no one else's password ever opens a tenant.
 */
export default async function InvitationPage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  const db = getDb();
  const invitation = await findPendingInvitation(db, token);
  if (!invitation) {
    return (
      <AuthCard
        title="This invitation cannot be used"
        footer={
          <Link href="/login" className="font-medium text-brand-700 hover:underline">
            Go to sign-in
          </Link>
        }
      >
        <p className="text-sm text-slate-600">
          The link is invalid, already used, revoked or expired. Ask the person who invited you for a new one.
        </p>
      </AuthCard>
    );
  }
  const subtitle = (
    <>
      You are invited to <strong>{invitation.tenantName}</strong> as {invitation.role}.
    </>
  );
  const [account, session] = await Promise.all([findUserByEmail(db, invitation.email), auth()]);
  if (!account) {
    return (
      <AuthCard title="Join StepAuth Gateway" subtitle={subtitle}>
        <NewAccountForm token={token} email={invitation.email} />
      </AuthCard>
    );
  }
  if (session?.user?.id === account.id) {
    return (
      <AuthCard title="Accept the invitation" subtitle={subtitle}>
        <p className="mb-4 text-sm text-slate-600">Signed in as {invitation.email}.</p>
        <AcceptSignedInForm token={token} tenantName={invitation.tenantName} />
      </AuthCard>
    );
  }
  return (
    <AuthCard title="Sign in to accept" subtitle={subtitle}>
      <p className="mb-4 text-sm text-slate-600">
        This invitation is for {invitation.email}.{" "}
        {session?.user
          ? "You are signed in as another account: sign out, then sign in as that one."
          : "Sign in as that account to accept it."}
      </p>
      {session?.user ? (
        <form action={signOutToAcceptAction}>
          <input type="hidden" name="token" value={token} />
          <Button type="submit" variant="secondary" className="w-full">
            Sign out
          </Button>
        </form>
      ) : (
        <LinkButton variant="primary" href={`/login?next=${encodeURIComponent(`/invite/${token}`)}`} className="w-full">
          Sign in
        </LinkButton>
      )}
    </AuthCard>
  );
}
