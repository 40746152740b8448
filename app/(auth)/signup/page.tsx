import type { Metadata } from "next";
import Link from "next/link";
import { AuthCard } from "@/components/auth/auth-card";
import { signupMode } from "@/lib/auth/onboarding-settings";
import { SignupForm } from "./signup-form";

export const metadata: Metadata = { title: "Sign up" };
export const dynamic = "force-dynamic";

export default function SignupPage() {
  const signIn = (
    <>
      Already have an account?{" "}
      <Link href="/login" className="font-medium text-brand-700 hover:underline">
        Sign in
      </Link>
    </>
  );
  if (signupMode() !== "open") {
    return (
      <AuthCard title="Sign-up is by invitation" footer={signIn}>
        <p className="text-sm text-slate-600">
          Ask an owner of your organisation&apos;s tenant for an invitation link.
        </p>
      </AuthCard>
    );
  }
  return (
    <AuthCard
      title="Create your StepAuth tenant"
      subtitle="You become its owner and can invite your team."
      footer={signIn}
    >
      <SignupForm />
    </AuthCard>
  );
}
