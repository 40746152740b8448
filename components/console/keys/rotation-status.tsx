import Link from "next/link";
import { Notice } from "@/components/ui/card";
import type { AuthorizerRow, SigningKeyRow } from "../shell/queries";
import { authorizersNotProvenOn } from "./key-dependents";

/** Who may still need the new public key: enabled authorizers not yet shown to accept it alone. */
function stillOnOld(authorizers: AuthorizerRow[], newestKeyId: string) {
  return authorizersNotProvenOn(authorizers, [newestKeyId]);
}

function AuthorizerNames({ list }: { list: AuthorizerRow[] }) {
  return (
    <ul className="mt-1 list-disc pl-5" aria-label="Authorizers that still need the new public key">
      {list.map((a) => (
        <li key={a.id}>
          <Link className="font-medium underline" href={`/authorizers/${encodeURIComponent(a.name)}`}>
            {a.name}
          </Link>{" "}
          — registered: <span className="font-mono">{a.signingKeyId ?? "not recorded"}</span>; not yet tested with the
          new key only
        </li>
      ))}
    </ul>
  );
}

/** Explains where a rotation stands, in the order it happens: next → active (both sign) → old retired. */
export function RotationStatus({ keys, authorizers }: { keys: SigningKeyRow[]; authorizers: AuthorizerRow[] }) {
  const next = keys.find((k) => k.state === "next");
  const actives = keys.filter((k) => k.state === "active");
  if (next) {
    const pending = stillOnOld(authorizers, next.keyId);
    return (
      <Notice
        tone="amber"
        title={`Rotation in progress: requests are now dual-signed with ${[...actives.map((k) => k.keyId), next.keyId].join(" and ")}`}
      >
        <p>
          Give every authorizer the public key of <span className="font-mono">{next.keyId}</span>, then press “Test with
          the new key only” on its page, and Activate. Authorizers that know only the old key keep verifying the old
          signature meanwhile.
        </p>
        {pending.length > 0 ? (
          <AuthorizerNames list={pending} />
        ) : (
          <p className="mt-1 font-medium">Every enabled authorizer has accepted the new key alone.</p>
        )}
      </Notice>
    );
  }
  if (actives.length > 1) {
    const newest = actives.at(-1)!;
    const pending = stillOnOld(authorizers, newest.keyId);
    return (
      <Notice
        tone="blue"
        title={`${newest.keyId} is active; ${actives
          .slice(0, -1)
          .map((k) => k.keyId)
          .join(", ")} still signs too`}
      >
        <p>
          Retire the old key once no authorizer needs it: from then on requests carry only the new signature. Retiring
          it while an authorizer below has not accepted the new key alone needs the key id typed.
        </p>
        {pending.length > 0 ? (
          <AuthorizerNames list={pending} />
        ) : (
          <p className="mt-1 font-medium">No enabled authorizer depends on the old key any more.</p>
        )}
      </Notice>
    );
  }
  return null;
}
