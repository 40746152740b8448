/**
 * The four actions of the StepAuth overview, worded and priced as it words them, in the shape
 * SP services send to `POST /api/v1/authorization-requests`. `npm run demo` submits them; the
 * tests use them too, so the demo and its proofs cannot drift apart.
 */

type Entry = { key: string; label: string; value: string | Entry[] };
const e = (key: string, label: string, value: string | Entry[]): Entry => ({ key, label, value });

/** One demo action: a short name for the command line and the request body. */
export interface DemoAction {
  name: "refund" | "wipe" | "aws-admin" | "wire";
  title: string;
  body: {
    principal: unknown;
    action: { type: string; category: string; summary: string; details: Entry[] };
    expiresIn?: number;
  };
}

const supportAgent = {
  type: "agent",
  attributes: [e("name", "Name", "Acme Support Agent (v3)"), e("model", "Model", "claude-opus-4-6")],
  operator: { type: "human", attributes: [e("name", "Name", "Support Trigger"), e("ticket", "Ticket", "TK-90421")] },
};

/** The overview's four examples, in its order. */
export const DEMO_ACTIONS: DemoAction[] = [
  {
    name: "refund",
    title: "$2,847 refund",
    body: {
      principal: supportAgent,
      action: {
        type: "payment.refund",
        category: "financial.refund",
        summary:
          "Issue a $2,847 refund to john.smith@example.com for order #ORD-55912. The customer reported a defective product and I verified return eligibility.",
        details: [
          e("amount", "Amount (USD)", "2847.00"),
          e("customer", "Customer", "john.smith@example.com"),
          e("order", "Order", "#ORD-55912"),
          e("reason", "Reason", "Defective product, return eligibility verified"),
        ],
      },
    },
  },
  {
    name: "wipe",
    title: "MacBook wipe",
    body: {
      principal: {
        type: "agent",
        attributes: [e("name", "Name", "IT Offboarding Agent"), e("model", "Model", "claude-opus-4-6")],
        operator: {
          type: "human",
          attributes: [
            e("name", "Name", "Marc Tremblay"),
            e("email", "Email", "it-admin@acme.com"),
            e("department", "Department", "IT"),
            e("role", "Role", "MDM Administrator"),
          ],
        },
      },
      action: {
        type: "device.wipe",
        category: "infra.destroy",
        summary:
          'If approved, the corporate laptop assigned to Jane Doe (MacBook Pro 16", serial C02ZX1ABCDEF) will be remotely wiped. All local data will be permanently erased and the device will be returned to factory settings. This action is not reversible.',
        details: [
          e("device", "Device", [e("name", "Name", "Jane's MacBook Pro 16\""), e("serial", "Serial", "C02ZX1ABCDEF")]),
          e("target_user", "Target user", [
            e("email", "Email", "jane.doe@acme.com"),
            e("department", "Department", "Engineering"),
          ]),
          e("reason", "Reason", "Employee offboarding"),
          e("reversible", "Reversible", "No"),
        ],
      },
    },
  },
  {
    name: "aws-admin",
    title: "Temporary AWS admin grant",
    body: {
      principal: {
        type: "human",
        attributes: [
          e("name", "Name", "Marc Tremblay"),
          e("email", "Email", "marc@acme.com"),
          e("role", "Role", "On-call SRE"),
        ],
      },
      action: {
        type: "iam.grant",
        category: "identity.escalate",
        summary:
          "Grant marc@acme.com AdministratorAccess to the production AWS account for 2 hours to investigate incident INC-4821.",
        details: [
          e("grantee", "Grantee", "marc@acme.com"),
          e("policy", "Policy", "AdministratorAccess"),
          e("account", "AWS account", "production"),
          e("duration", "Duration", "2 hours"),
          e("incident", "Incident", "INC-4821"),
        ],
      },
    },
  },
  {
    name: "wire",
    title: "$4.2M SWIFT wire",
    body: {
      principal: {
        type: "service",
        attributes: [e("name", "Name", "Treasury Payments Service")],
        operator: {
          type: "human",
          attributes: [
            e("name", "Name", "Dana Whitfield"),
            e("email", "Email", "dana.whitfield@acme.com"),
            e("role", "Role", "Treasury Analyst"),
          ],
        },
      },
      action: {
        type: "payment.wire",
        category: "financial.transfer",
        summary:
          "Initiate a $4.2M SWIFT wire transfer from the operating account (ACME-OPS-001) to Matsuda Electronics (MUFG, BOTKJPJT) for invoice #INV-2026-0847. Funds will be irrevocably debited within one SWIFT processing cycle.",
        details: [
          e("amount", "Amount (USD)", "4200000.00"),
          e("from_account", "From account", "ACME-OPS-001"),
          e("beneficiary", "Beneficiary", [
            e("name", "Name", "Matsuda Electronics"),
            e("bank", "Bank", "MUFG"),
            e("bic", "BIC", "BOTKJPJT"),
          ]),
          e("invoice", "Invoice", "#INV-2026-0847"),
        ],
      },
    },
  },
];

/** The demo action with this name. */
export function demoAction(name: DemoAction["name"]): DemoAction {
  const found = DEMO_ACTIONS.find((a) => a.name === name);
  if (!found) throw new Error(`no demo action ${name}`);
  return found;
}
