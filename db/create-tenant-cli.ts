import { parseArgs } from "node:util";
import { createTenantWithOwnerInvitation } from "@/lib/auth/onboarding";
import { invitationUrl } from "@/lib/auth/onboarding-settings";
import { createDatabase } from "./client";
import { runMigrations } from "./migrate";

// `npm run tenant:create -- --name "Globex" --owner-email ops@globex.example`: for operators. Creates
// the tenant and its signing key, and prints a one-time link (valid 7 days) that makes the address
// its owner; the owner sets their own password, or accepts while signed in if they have an account.
const { values } = parseArgs({ options: { name: { type: "string" }, "owner-email": { type: "string" } } });
if (!values.name || !values["owner-email"]) {
  console.error('usage: npm run tenant:create -- --name "<tenant name>" --owner-email <e-mail>');
  process.exit(2);
}

const handle = createDatabase();
try {
  await runMigrations(handle);
  const { tenantId, token } = await createTenantWithOwnerInvitation(handle.db, {
    name: values.name,
    ownerEmail: values["owner-email"],
  });
  console.log(
    [
      `Tenant "${values.name}" created (${tenantId}).`,
      `Owner invitation for ${values["owner-email"].trim().toLowerCase()}, shown once, valid 7 days:`,
      `  ${invitationUrl(token)}`,
    ].join("\n"),
  );
} catch (error) {
  console.error(error instanceof Error ? `could not create the tenant: ${error.message}` : error);
  process.exitCode = 1;
} finally {
  await handle.close();
}
