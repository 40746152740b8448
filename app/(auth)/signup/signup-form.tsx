"use client";

import { useActionState } from "react";
import { Button } from "@/components/ui/button";
import { ErrorNote } from "@/components/ui/card";
import { TextField } from "@/components/ui/field";
import { signupAction, type SignupState } from "./actions";

export function SignupForm() {
  const [state, formAction, pending] = useActionState<SignupState, FormData>(signupAction, {});
  const values = state.values;
  return (
    <form action={formAction} className="space-y-4" key={JSON.stringify(values ?? {})}>
      <TextField
        label="Your name"
        name="name"
        autoComplete="name"
        defaultValue={values?.name}
        required
        maxLength={200}
        autoFocus
      />
      <TextField
        label="Email"
        name="email"
        type="email"
        autoComplete="username"
        defaultValue={values?.email}
        required
      />
      <TextField
        label="Password"
        name="password"
        type="password"
        autoComplete="new-password"
        minLength={12}
        required
        hint="At least 12 characters."
      />
      <TextField
        label="Organisation (tenant) name"
        name="tenantName"
        defaultValue={values?.tenantName}
        required
        maxLength={200}
      />
      {state.error ? <ErrorNote>{state.error}</ErrorNote> : null}
      <Button type="submit" className="w-full" disabled={pending}>
        {pending ? "Creating…" : "Create account and tenant"}
      </Button>
    </form>
  );
}
