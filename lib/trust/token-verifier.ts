import type { JWTVerifyGetKey, JWTVerifyOptions } from 'jose' with { 'resolution-mode': 'import' };
import { MessageBusConfigurationError } from '../errors/message-bus-configuration.error';
import { TokenKeySourceUnavailableError } from '../errors/token-key-source-unavailable.error';
import { TokenVerificationError } from '../errors/token-verification.error';
import type { ResolvedKeySource, ResolvedTokenVerification } from './resolve-token-verification';
import type { TokenCheck } from './token-check';
import type { VerifiedToken } from './verified-token';

type Jose = typeof import('jose', { with: { 'resolution-mode': 'import' } });
/** An HMAC secret, or a function that picks the key for a token's header (local or remote key set). */
type VerificationKey = Uint8Array | JWTVerifyGetKey;

/** What verifying one token came to. */
export type TokenVerdict =
  | { readonly verdict: 'verified'; readonly token: VerifiedToken }
  /** The token is not to be trusted: dead-letter at once (`unauthenticated`). */
  | { readonly verdict: 'refused'; readonly error: TokenVerificationError }
  /** The keys could not be read (JWKS down): retry later. */
  | { readonly verdict: 'unavailable'; readonly error: TokenKeySourceUnavailableError };

/** Marks a key-source failure as it passes through jose, so that it is told from a bad token. */
class KeySourceFailure extends Error {}

/**
 * Verifies `meta_data.token` with jose: signature (only the listed algorithms, keys of one family),
 * `iss`, `aud`, `exp`/`nbf` with the tolerance, required claims, and the service claim against
 * `meta_data.source`. One instance per module holds the JWKS cache. It throws only when jose
 * cannot be loaded; no text it makes quotes the token.
 */
export class TokenVerifier {
  private key?: Promise<VerificationKey>;
  private jose?: Promise<Jose>;

  constructor(private readonly options: ResolvedTokenVerification) {}

  async verify(token: string, source: string): Promise<TokenVerdict> {
    let jose: Jose;
    let key: VerificationKey;
    try {
      jose = await this.loadJose();
      key = await (this.key ??= this.buildKey(jose, this.options.keys));
    } catch (error) {
      this.key = undefined;
      throw error;
    }
    const options = this.options;
    const verifyOptions: JWTVerifyOptions = {
      algorithms: [...options.algorithms],
      clockTolerance: options.clockToleranceSeconds,
      requiredClaims: [...options.requiredClaims],
      ...(options.issuer === undefined ? {} : { issuer: options.issuer }),
      ...(options.audience === undefined ? {} : { audience: options.audience }),
    };
    try {
      const { payload, protectedHeader } =
        typeof key === 'function'
          ? await jose.jwtVerify(token, key, verifyOptions)
          : await jose.jwtVerify(token, key, verifyOptions);
      if (options.sourceClaim !== false && payload[options.sourceClaim] !== source) {
        return refused(
          'source-mismatch',
          `claim ${options.sourceClaim} must equal meta_data.source ${JSON.stringify(source)}`,
        );
      }
      return {
        verdict: 'verified',
        token: Object.freeze({
          claims: Object.freeze({ ...payload }),
          header: Object.freeze({ ...protectedHeader }),
        }),
      };
    } catch (error) {
      if (error instanceof KeySourceFailure) {
        return {
          verdict: 'unavailable',
          error: new TokenKeySourceUnavailableError(this.endpoint(), { cause: error.cause }),
        };
      }
      const [check, detail] = classify(jose, error);
      return refused(check, detail);
    }
  }

  private loadJose(): Promise<Jose> {
    this.jose ??= import('jose').catch((cause: unknown) => {
      this.jose = undefined;
      throw new MessageBusConfigurationError(
        'tokenVerification',
        `needs the jose package to verify tokens: npm install jose (${String(cause)})`,
      );
    });
    return this.jose;
  }

  private async buildKey(jose: Jose, keys: ResolvedKeySource): Promise<VerificationKey> {
    switch (keys.kind) {
      case 'secret':
        return keys.secret;
      case 'public-keys': {
        // Keys given with a kid serve tokens naming it; the others any token, whatever its kid.
        const named = jose.createLocalJWKSet({
          keys: keys.keys.filter((k) => k.kid !== undefined),
        });
        const unnamed = jose.createLocalJWKSet({
          keys: keys.keys.filter((k) => k.kid === undefined),
        });
        const kids = new Set(keys.keys.map((k) => k.kid));
        const getKey: JWTVerifyGetKey = (header, token) =>
          header.kid !== undefined && kids.has(header.kid)
            ? named(header, token)
            : unnamed({ ...header, kid: undefined }, token);
        return getKey;
      }
      case 'jwks': {
        const remote = jose.createRemoteJWKSet(keys.url, {
          cacheMaxAge: keys.cacheMaxAgeMs,
          cooldownDuration: keys.cooldownMs,
          timeoutDuration: keys.timeoutMs,
        });
        const getKey: JWTVerifyGetKey = async (header, token) => {
          try {
            return await remote(header, token);
          } catch (error) {
            // A key set that does not hold the token's key says something about the token;
            // anything else (refused connection, timeout, not 200, not a key set) about the endpoint.
            if (
              error instanceof jose.errors.JWKSNoMatchingKey ||
              error instanceof jose.errors.JWKSMultipleMatchingKeys ||
              error instanceof jose.errors.JOSEAlgNotAllowed ||
              error instanceof jose.errors.JOSENotSupported
            )
              throw error;
            throw new KeySourceFailure('key source unavailable', { cause: error });
          }
        };
        return getKey;
      }
    }
  }

  /** The JWKS URL without query or credentials, for the retry reason. */
  private endpoint(): string {
    const keys = this.options.keys;
    return keys.kind === 'jwks' ? `${keys.url.origin}${keys.url.pathname}` : 'the configured keys';
  }
}

function refused(check: TokenCheck, detail: string): TokenVerdict {
  return { verdict: 'refused', error: new TokenVerificationError(check, detail) };
}

/** jose's error → the check that failed, with a short detail of our own (never jose's text, never the token). */
function classify(jose: Jose, error: unknown): [TokenCheck, string] {
  const { errors } = jose;
  if (error instanceof errors.JWTExpired)
    return ['expired', 'exp is past, beyond the clock tolerance'];
  if (error instanceof errors.JWTClaimValidationFailed) {
    const claim = error.claim;
    if (error.reason === 'missing') return ['missing-claim', `claim ${claim} is required`];
    if (claim === 'nbf') return ['not-yet-valid', 'nbf is ahead, beyond the clock tolerance'];
    if (claim === 'iss') return ['wrong-issuer', 'iss is not the configured issuer'];
    if (claim === 'aud') return ['wrong-audience', 'aud does not name the configured audience'];
    return ['invalid-claims', `claim ${claim} is not valid`];
  }
  if (
    error instanceof errors.JWSSignatureVerificationFailed ||
    error instanceof errors.JWKSMultipleMatchingKeys
  )
    return ['bad-signature', 'the signature does not match'];
  if (error instanceof errors.JWKSNoMatchingKey)
    return ['unknown-key', 'no configured key matches its kid and algorithm'];
  if (error instanceof errors.JOSEAlgNotAllowed || error instanceof errors.JOSENotSupported)
    return ['algorithm-not-allowed', 'its alg is not one of tokenVerification.algorithms'];
  if (error instanceof errors.JWTInvalid && /claims/i.test(error.message))
    return ['invalid-claims', 'its claims are not a JSON object of valid types'];
  return ['malformed', 'not a signed JWT'];
}
