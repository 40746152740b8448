import { DEMO_ACTIONS } from "@/lib/demo/actions";
import type { Action, Principal } from "@/lib/stepauth";

/** A request the routing test bench can evaluate: the principal and action an SP would send. */
export interface SampleRequest {
  id: string;
  label: string;
  principal: Principal;
  action: Action;
}

// The four requests of the StepAuth overview: the same ones `npm run demo` submits, so the
// console's test bench, the demo and the tests that use either cannot drift apart.
export const sampleRequests: readonly SampleRequest[] = DEMO_ACTIONS.map((demo) => ({
  id: demo.name,
  label: demo.title,
  principal: demo.body.principal as Principal,
  action: demo.body.action as Action,
}));
