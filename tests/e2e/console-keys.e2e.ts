import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { sampleRequests } from "@/lib/console/sample-requests";
import { importPublicKey, type TrustedKey } from "@/lib/stepauth";
import { authorizerKey, startStubAuthorizer, type StubAuthorizer } from "../setup/stub-authorizer";
import { consoleApi, browserForFile, removeAuthorizers, screenshot, signIn, submitThroughApi } from "./browser";

const baseUrl = inject("baseUrl");
const demo = inject("demo");
const browser = browserForFile();
let page: Page;
let stub: StubAuthorizer;
// The authorizer knows exactly one of the tenant's public keys at a time.
let trusted: TrustedKey[] = [];

beforeAll(async () => {
  stub = await startStubAuthorizer({ mode: "approve", trustedSpKeys: () => trusted });
  page = await browser.newPage({ viewport: { width: 1366, height: 900 } });
  await signIn(page, baseUrl, demo.email, demo.password);
});
afterAll(async () => {
  if (page) {
    await removeAuthorizers(page, ["stub-approver", "stub-unproven"]);
    // Other authorizers of the shared demo tenant learn the new key the way an admin would tell them:
    // the built-in sandbox refreshes its registration when connected again.
    const { body } = await consoleApi(page, "GET", "/api/console/authorizers");
    if (body.data.some((a: { name: string }) => a.name === "sandbox"))
      await consoleApi(page, "POST", "/api/console/sandbox/connect");
  }
  await stub?.close();
});

async function keys(): Promise<{ keyId: string; state: string; publicKey: string }[]> {
  return (await consoleApi(page, "GET", "/api/console/signing-keys")).body.data;
}

/** Submits the refund sample; the stub approves at once when a signature it trusts verifies. */
async function expectApproved(signedWith: string[]) {
  const { status, body } = await submitThroughApi(baseUrl, demo.apiKey, {
    principal: sampleRequests[0]!.principal,
    action: sampleRequests[0]!.action,
  });
  expect(status, JSON.stringify(body)).toBe(200);
  expect(body.status).toBe("approved");
  expect(body.decision.authorizer).toBe("stub-approver");
  expect(stub.state.received.get(body.requestId)?.signatureKeyIds).toEqual(signedWith);
}

describe("console: signing-key rotation while requests keep being approved", () => {
  it("rotates next → active → retired; an authorizer knowing one key at a time approves throughout", async () => {
    const [old] = (await keys()).filter((k) => k.state === "active");
    trusted = [{ keyId: old!.keyId, algorithm: "ed25519", publicKey: importPublicKey(old!.publicKey) }];
    const created = await consoleApi(page, "POST", "/api/console/authorizers", {
      name: "stub-approver",
      endpoint: stub.url,
      spId: "sp_acme_e2e",
      signingKeyId: old!.keyId,
      isDefault: true,
      publicKeys: [{ keyId: authorizerKey.keyId, algorithm: "ed25519", publicKey: authorizerKey.publicKey }],
    });
    expect(created.status).toBe(201);
    expect(
      (await consoleApi(page, "PUT", "/api/console/settings", { routingScript: '["stub-approver"]' })).status,
    ).toBe(200);
    await expectApproved([old!.keyId]);

    await page.getByRole("navigation", { name: "Console" }).getByRole("link", { name: "Keys", exact: true }).click();
    await page.getByRole("heading", { name: "Signing keys", level: 1 }).waitFor();
    await screenshot(page, "keys-before-rotation");
    await page.getByRole("button", { name: "Rotate" }).click();
    await page.getByText(/^Rotation in progress: requests are now dual-signed/).waitFor();
    const pending = page.getByRole("list", { name: "Authorizers that still need the new public key" });
    await pending.getByRole("link", { name: "stub-approver" }).waitFor();
    await screenshot(page, "keys-rotation-next");
    const next = (await keys()).find((k) => k.state === "next")!;
    await expectApproved([old!.keyId, next.keyId]);

    // The authorizer switches to the new key only, and the admin records that on the authorizer.
    trusted = [{ keyId: next.keyId, algorithm: "ed25519", publicKey: importPublicKey(next.publicKey) }];
    await expectApproved([old!.keyId, next.keyId]);
    await pending.getByRole("link", { name: "stub-approver" }).click();
    await page.getByRole("heading", { name: "stub-approver", level: 1 }).waitFor();
    await page.getByLabel("Signing key it has registered").selectOption(next.keyId);
    await page.getByRole("button", { name: "Save changes" }).click();
    await page.getByText("Saved.", { exact: true }).waitFor();
    // What lets the old key be retired without a typed confirmation: the authorizer accepts the new key alone.
    await page.getByRole("button", { name: "Test with the new key only" }).click();
    await page.getByTestId("test-request-result").getByText(next.keyId, { exact: true }).last().waitFor();
    await page.getByText("Now known to accept").waitFor();

    await page.getByRole("navigation", { name: "Console" }).getByRole("link", { name: "Keys", exact: true }).click();
    await page.getByRole("button", { name: `Activate ${next.keyId}` }).click();
    await page.getByText(new RegExp(`^${next.keyId} is active; ${old!.keyId} still signs too`)).waitFor();
    expect(await page.getByRole("link", { name: "stub-approver" }).count()).toBe(0);
    await screenshot(page, "keys-rotation-both-active");
    await expectApproved([old!.keyId, next.keyId]);

    // An enabled authorizer never shown the new key makes the dialog name it and ask for the key id.
    const unproven = await consoleApi(page, "POST", "/api/console/authorizers", {
      name: "stub-unproven",
      endpoint: stub.url,
      spId: "sp_acme_e2e_unproven",
      publicKeys: [{ keyId: authorizerKey.keyId, algorithm: "ed25519", publicKey: authorizerKey.publicKey }],
    });
    expect(unproven.status).toBe(201);
    await page.reload();
    await page.getByRole("button", { name: `Retire ${old!.keyId}` }).click();
    const dialog = page.getByRole("dialog", { name: `Retire ${old!.keyId}?` });
    await dialog
      .getByRole("list", { name: "Authorizers that may rely on this key" })
      .getByRole("link", { name: "stub-unproven" })
      .waitFor();
    expect(await dialog.getByRole("link", { name: "stub-approver" }).count()).toBe(0);
    const confirm = dialog.getByRole("button", { name: "Retire key" });
    expect(await confirm.isDisabled()).toBe(true);
    await screenshot(page, "keys-retire-dialog");
    await dialog.getByLabel(`Type ${old!.keyId} to retire it anyway`).fill(old!.keyId);
    await confirm.click();
    await page.getByTestId(`signing-key-${old!.keyId}`).getByText("retired", { exact: true }).waitFor();
    expect(await page.getByText(/Rotation in progress|still signs too/).count()).toBe(0);
    await screenshot(page, "keys-after-rotation");
    await expectApproved([next.keyId]);
    expect(
      (await keys()).filter((k) => [old!.keyId, next.keyId].includes(k.keyId)).map((k) => [k.keyId, k.state]),
    ).toEqual([
      [old!.keyId, "retired"],
      [next.keyId, "active"],
    ]);
    // Nothing private is ever on the page.
    expect(await page.content()).not.toMatch(/PRIVATE KEY|MC4CAQAwBQYDK2Vw/);
  });
});
