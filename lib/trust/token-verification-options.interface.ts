import type { JWK } from 'jose' with { 'resolution-mode': 'import' };

/** Where the keys that sign service tokens come from: exactly one of the three. */
export interface JwksKeySourceOptions {
  /** The JWKS endpoint, e.g. `https://auth.example.com/.well-known/jwks.json`. */
  url: string;
  /** How long a fetched key set is used before it is fetched again. Default 600 000 ms. */
  cacheMaxAgeMs?: number;
  /**
   * Least time between two fetches caused by an unknown `kid`: a burst of tokens naming keys the
   * set does not hold costs one fetch, not one per message. Default 30 000 ms.
   */
  cooldownMs?: number;
  /** How long one fetch may take. Default 5 000 ms. */
  timeoutMs?: number;
}

/** A public key: a PEM (SPKI, `-----BEGIN PUBLIC KEY-----`) text or a public JWK. */
export interface PublicKeyOptions {
  /** The `kid` tokens signed with this key carry; a token naming another `kid` is refused. */
  kid?: string;
  key: string | JWK;
}

/** How `meta_data.token` is checked when verification is on (module option `tokenVerification`). */
export interface TokenVerificationOptions {
  /** Keys fetched from a JWKS endpoint, cached and refreshed when a token names an unknown `kid`. */
  jwks?: JwksKeySourceOptions;
  /** Public keys given here (asymmetric algorithms only). */
  publicKeys?: PublicKeyOptions[];
  /** A shared HMAC secret, at least 32 bytes (HS256/HS384/HS512 only). */
  secret?: string | Uint8Array;
  /**
   * The signature algorithms accepted, e.g. `['RS256']` or `['HS256']`: required, never `none`,
   * and either all HMAC (with `secret`) or all public-key (with `jwks` / `publicKeys`), so that a
   * public key can never be used as an HMAC secret.
   */
  algorithms: string[];
  /** The expected `iss`: one value or any of several. */
  issuer?: string | string[];
  /** The expected `aud`: the token must name this (or one of these) audiences. */
  audience?: string | string[];
  /** Leeway on `exp` and `nbf`, in seconds. Default 5. */
  clockToleranceSeconds?: number;
  /** Claims every token must carry besides `exp` (always required), e.g. `['sub', 'jti']`. */
  requiredClaims?: string[];
  /**
   * The claim naming the sending service, which must equal `meta_data.source`; `false` turns the
   * check off. Default `'sub'`.
   */
  sourceClaim?: string | false;
}
