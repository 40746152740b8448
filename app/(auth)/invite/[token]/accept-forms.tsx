"use client";

import { useActionState } from "react";
import { Button } from "@/components/ui/button";
import { ErrorNote } from "@/components/ui/card";
import { TextField } from "@/components/ui/field";
import { acceptAsNewAccountAction, acceptAsSignedInAction, type AcceptState } from "./actions";

export function NewAccountForm({ token, email }: { token: string; email: string }) {
  const [state, formAction, pending] = useActionState<AcceptState, FormData>(acceptAsNewAccountAction, {});
  return (
    <form action={formAction} className="space-y-4">
      <input type="hidden" name="token" value={token} />
      <TextField label="Email" name="email" type="email" autoComplete="username" value={email} readOnly />
      <TextField
        key={state.name}
        label="Your name"
        name="name"
        autoComplete="name"
        defaultValue={state.name}
        required
        maxLength={200}
        autoFocus
      />
      <TextField
        label="Password"
        name="password"
        type="password"
        autoComplete="new-password"
        minLength={12}
        required
        hint="At least 12 characters; only you know it."
      />
      {state.error ? <ErrorNote>{state.error}</ErrorNote> : null}
      <Button type="submit" className="w-full" disabled={pending}>
        {pending ? "Joining…" : "Create account and join"}
      </Button>
    </form>
  );
}

export function AcceptSignedInForm({ token, tenantName }: { token: string; tenantName: string }) {
  const [state, formAction, pending] = useActionState<AcceptState, FormData>(acceptAsSignedInAction, {});
  return (
    <form action={formAction} className="space-y-4">
      <input type="hidden" name="token" value={token} />
      {state.error ? <ErrorNote>{state.error}</ErrorNote> : null}
      <Button type="submit" className="w-full" disabled={pending}>
        {pending ? "Joining…" : `Join ${tenantName}`}
      </Button>
    </form>
  );
}
