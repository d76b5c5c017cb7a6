import type { JWTPayload, ProtectedHeaderParameters } from 'jose' with {
  'resolution-mode': 'import',
};

/** A service token that passed verification: its claims and header, for the handler. */
export interface VerifiedToken {
  /** The token's claims (`iss`, `sub`, `aud`, `exp`, and the issuer's own). */
  readonly claims: Readonly<JWTPayload>;
  /** Its protected header (`alg`, `kid`). */
  readonly header: Readonly<ProtectedHeaderParameters>;
}
