import type { Metadata } from "next";
import Link from "next/link";
import { Button } from "@/components/ui/button";
import { Notice } from "@/components/ui/card";
import { signupMode } from "@/lib/auth/onboarding-settings";
import { oidcSettings } from "@/lib/auth/settings";
import { oidcLoginAction } from "./actions";
import { LoginForm } from "./login-form";
import { Logo } from "@/components/ui/logo";

export const metadata: Metadata = { title: "Sign in" };

export default async function LoginPage({
  searchParams,
}: {
  searchParams: Promise<{ next?: string; signedOut?: string }>;
}) {
  const { next, signedOut } = await searchParams;
  const sso = oidcSettings() !== null;
  return (
    <main className="flex min-h-screen items-center justify-center px-4">
      <div className="w-full max-w-sm">
        <div className="mb-8 text-center">
          <Logo className="mx-auto mb-3 size-11" />
          <h1 className="text-xl font-semibold tracking-tight">Sign in to StepAuth Gateway</h1>
          <p className="mt-1 text-sm text-slate-500">Review before sensitive actions run.</p>
        </div>
        {signedOut ? (
          <div className="mb-4">
            <Notice tone="green" title="You are signed out.">
              Your session has ended on this device. Sign in again to continue.
            </Notice>
          </div>
        ) : null}
        <div className="rounded-xl bg-white p-6 shadow-sm ring-1 ring-slate-200">
          <LoginForm next={next ?? "/"} />
          {sso ? (
            <form action={oidcLoginAction} className="mt-4 border-t border-slate-100 pt-4">
              <Button type="submit" variant="secondary" className="w-full">
                Continue with single sign-on
              </Button>
            </form>
          ) : null}
        </div>
        {signupMode() === "open" ? (
          <p className="mt-4 text-center text-sm text-slate-600">
            New here?{" "}
            <Link href="/signup" className="font-medium text-brand-700 hover:underline">
              Create an account and a tenant
            </Link>
          </p>
        ) : null}
      </div>
    </main>
  );
}
