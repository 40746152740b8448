import type { Action, Principal } from "@/lib/stepauth";

/** A request the routing test bench can evaluate: the principal and action an SP would send. */
export interface SampleRequest {
  id: string;
  label: string;
  principal: Principal;
  action: Action;
}

const attr = (key: string, label: string, value: string) => ({ key, label, value });

// The four requests of the StepAuth overview, with the principal chains and details an SP would send.
export const sampleRequests: readonly SampleRequest[] = [
  {
    id: "refund",
    label: "Refund $2,847 (support agent)",
    principal: {
      type: "agent",
      attributes: [attr("name", "Name", "Acme Support Agent (v3)"), attr("model", "Model", "claude-opus-4-6")],
      operator: { type: "human", attributes: [attr("name", "Name", "Support Trigger"), attr("ticket", "Ticket", "TK-90421")] },
    },
    action: {
      type: "payment.refund",
      category: "financial.transfer",
      summary: "If approved, a refund of $2,847.00 will be issued to john.smith@example.com for order #ORD-55912. The customer reported a defective product and the agent verified return eligibility.",
      details: [
        attr("amount", "Amount (USD)", "2847.00"),
        attr("order", "Order", "ORD-55912"),
        { key: "customer", label: "Customer", value: [attr("email", "Email", "john.smith@example.com"), attr("tier", "Tier", "Standard")] },
        attr("reason", "Reason", "Defective product, return eligibility verified"),
      ],
    },
  },
  {
    id: "wipe",
    label: "Wipe Jane Doe's MacBook (MDM admin)",
    principal: {
      type: "human",
      attributes: [attr("name", "Name", "Marc Tremblay"), attr("email", "Email", "it-admin@acme.com"), attr("department", "Department", "IT"), attr("role", "Role", "MDM Administrator")],
    },
    action: {
      type: "device.wipe",
      category: "infra.destroy",
      summary: "If approved, the MacBook Pro assigned to Jane Doe (C02ZX1ABCDEF) will be remotely wiped. All local data will be permanently erased. This action is not reversible.",
      details: [
        { key: "device", label: "Device", value: [attr("name", "Name", "Jane's MacBook Pro 16\""), attr("serial", "Serial", "C02ZX1ABCDEF")] },
        { key: "target_user", label: "Target user", value: [attr("email", "Email", "jane.doe@acme.com"), attr("department", "Department", "Engineering")] },
        attr("reason", "Reason", "Employee offboarding"),
        attr("reversible", "Reversible", "No"),
      ],
    },
  },
  {
    id: "aws-admin",
    label: "Temporary AWS admin grant (on-call bot)",
    principal: {
      type: "service",
      attributes: [attr("name", "Name", "Access Broker"), attr("environment", "Environment", "production")],
      operator: { type: "human", attributes: [attr("name", "Name", "Marc Tremblay"), attr("email", "Email", "marc@acme.com"), attr("department", "Department", "SRE")] },
    },
    action: {
      type: "iam.grant_temporary",
      category: "identity.escalate",
      summary: "If approved, marc@acme.com will hold AdministratorAccess on the production AWS account (acme-prod, 123456789012) for 2 hours to investigate incident INC-4821. Access is revoked automatically when the window ends.",
      details: [
        attr("grantee", "Grantee", "marc@acme.com"),
        attr("policy", "Policy", "AdministratorAccess"),
        { key: "account", label: "AWS account", value: [attr("alias", "Alias", "acme-prod"), attr("id", "Account ID", "123456789012")] },
        attr("duration_minutes", "Duration (minutes)", "120"),
        attr("incident", "Incident", "INC-4821"),
      ],
    },
  },
  {
    id: "wire",
    label: "$4.2M SWIFT wire (treasury)",
    principal: {
      type: "agent",
      attributes: [attr("name", "Name", "Treasury Payments Agent"), attr("model", "Model", "claude-opus-4-6")],
      operator: { type: "human", attributes: [attr("name", "Name", "Dana Whitfield"), attr("email", "Email", "dana.whitfield@acme.com"), attr("department", "Department", "Finance")] },
    },
    action: {
      type: "payment.wire",
      category: "financial.transfer",
      summary: "If approved, $4,200,000.00 will be wired by SWIFT from the operating account (ACME-OPS-001) to Matsuda Electronics (MUFG, BOTKJPJT) for invoice #INV-2026-0847. Funds will be irrevocably debited within one SWIFT processing cycle.",
      details: [
        attr("amount", "Amount (USD)", "4200000.00"),
        attr("source_account", "From account", "ACME-OPS-001"),
        { key: "beneficiary", label: "Beneficiary", value: [attr("name", "Name", "Matsuda Electronics"), attr("bank", "Bank", "MUFG"), attr("bic", "BIC", "BOTKJPJT")] },
        attr("invoice", "Invoice", "INV-2026-0847"),
        attr("reversible", "Reversible", "No"),
      ],
    },
  },
];
