/**
 * Separation of duties: nobody approves a request they asked for. A reviewer whose e-mail appears
 * anywhere in the request's principal chain (the principal, its operator, their operators; any
 * attribute, nested groups too) may deny it but not approve it. Pure, so the inbox can say so too.
 */
type Entry = { key: string; value: unknown };
type Principal = { attributes?: Entry[]; operator?: Principal };

function collectStrings(value: unknown, into: string[]): void {
  if (typeof value === "string") into.push(value);
  else if (Array.isArray(value)) for (const entry of value as Entry[]) collectStrings(entry?.value, into);
}

/** Every attribute value of every principal in the chain, lower-cased. */
function chainValues(principal: unknown): string[] {
  const values: string[] = [];
  for (let p = principal as Principal | undefined, depth = 0; p && depth < 16; p = p.operator, depth++) {
    collectStrings(p.attributes ?? [], values);
  }
  return values.map((v) => v.trim().toLowerCase());
}

/** True when `email` is one of the principal chain's attribute values (letter case ignored). */
export function principalChainIncludesEmail(principal: unknown, email: string): boolean {
  const wanted = email.trim().toLowerCase();
  return wanted !== "" && chainValues(principal).includes(wanted);
}
