/**
 * The check a service token failed, named in the dead-letter reason (`unauthenticated: ...`):
 * - `malformed`: not a signed JWT (three parts, JSON header and claims)
 * - `algorithm-not-allowed`: its `alg` is not one of `tokenVerification.algorithms` (`none` never is)
 * - `unknown-key`: no key of the configured ones (or of the JWKS, fetched again) has its `kid`
 * - `bad-signature`: the signature does not match the header and claims
 * - `expired` / `not-yet-valid`: `exp` / `nbf`, with the clock tolerance
 * - `wrong-issuer` / `wrong-audience`: `iss` / `aud`
 * - `missing-claim`: a required claim is absent
 * - `invalid-claims`: a claim has the wrong type (e.g. `exp` not a number)
 * - `source-mismatch`: the service claim differs from `meta_data.source`
 * - `not-configured`: a handler asks for verification but the module has no `tokenVerification`
 */
export type TokenCheck =
  | 'malformed'
  | 'algorithm-not-allowed'
  | 'unknown-key'
  | 'bad-signature'
  | 'expired'
  | 'not-yet-valid'
  | 'wrong-issuer'
  | 'wrong-audience'
  | 'missing-claim'
  | 'invalid-claims'
  | 'source-mismatch'
  | 'not-configured';
