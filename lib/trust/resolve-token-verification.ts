import { createPublicKey } from 'node:crypto';
import type { JWK } from 'jose' with { 'resolution-mode': 'import' };
import { MessageBusConfigurationError } from '../errors/message-bus-configuration.error';
import {
  rejectUnknownKeys,
  requiredName,
  wholeNumber,
  type OptionKeys,
} from '../options/option-checks';
import type {
  JwksKeySourceOptions,
  PublicKeyOptions,
  TokenVerificationOptions,
} from './token-verification-options.interface';

const HMAC_ALGORITHMS = ['HS256', 'HS384', 'HS512'];
const PUBLIC_KEY_ALGORITHMS = [
  'RS256',
  'RS384',
  'RS512',
  'PS256',
  'PS384',
  'PS512',
  'ES256',
  'ES384',
  'ES512',
  'EdDSA',
  'Ed25519',
];
/** HS256 wants a key as long as its hash (RFC 7518 §3.2). */
const MIN_SECRET_BYTES = 32;

const SETTING = 'tokenVerification';

const OPTION_KEYS: OptionKeys<TokenVerificationOptions> = {
  jwks: true,
  publicKeys: true,
  secret: true,
  algorithms: true,
  issuer: true,
  audience: true,
  clockToleranceSeconds: true,
  requiredClaims: true,
  sourceClaim: true,
};
const JWKS_KEYS: OptionKeys<JwksKeySourceOptions> = {
  url: true,
  cacheMaxAgeMs: true,
  cooldownMs: true,
  timeoutMs: true,
};
const PUBLIC_KEY_KEYS: OptionKeys<PublicKeyOptions> = { kid: true, key: true };

/** The keys tokens are checked against, after start-up checks. */
export type ResolvedKeySource =
  | {
      readonly kind: 'jwks';
      readonly url: URL;
      readonly cacheMaxAgeMs: number;
      readonly cooldownMs: number;
      readonly timeoutMs: number;
    }
  | { readonly kind: 'public-keys'; readonly keys: readonly JWK[] }
  | { readonly kind: 'secret'; readonly secret: Uint8Array };

export interface ResolvedTokenVerification {
  readonly keys: ResolvedKeySource;
  readonly algorithms: readonly string[];
  readonly issuer?: string | string[];
  readonly audience?: string | string[];
  readonly clockToleranceSeconds: number;
  readonly requiredClaims: readonly string[];
  readonly sourceClaim: string | false;
}

/** Checks `tokenVerification` at start-up; every problem names its setting. */
export function resolveTokenVerification(
  options: TokenVerificationOptions,
): ResolvedTokenVerification {
  if (typeof options !== 'object' || options === null) {
    throw new MessageBusConfigurationError(SETTING, 'must be an object');
  }
  rejectUnknownKeys(options, OPTION_KEYS, SETTING);
  const keys = resolveKeySource(options);
  const algorithms = resolveAlgorithms(options.algorithms, keys.kind === 'secret');
  return {
    keys,
    algorithms,
    issuer: optionalNames(options.issuer, `${SETTING}.issuer`),
    audience: optionalNames(options.audience, `${SETTING}.audience`),
    clockToleranceSeconds: wholeNumber(
      options.clockToleranceSeconds ?? 5,
      `${SETTING}.clockToleranceSeconds`,
      0,
      3_600,
    ),
    requiredClaims: [
      'exp',
      ...names(options.requiredClaims ?? [], `${SETTING}.requiredClaims`).filter(
        (c) => c !== 'exp',
      ),
    ],
    sourceClaim:
      options.sourceClaim === false
        ? false
        : requiredName(options.sourceClaim ?? 'sub', `${SETTING}.sourceClaim`, ' (or false)'),
  };
}

function resolveKeySource(options: TokenVerificationOptions): ResolvedKeySource {
  const given = (['jwks', 'publicKeys', 'secret'] as const).filter(
    (key) => options[key] !== undefined,
  );
  if (given.length !== 1) {
    throw new MessageBusConfigurationError(
      SETTING,
      given.length === 0
        ? 'needs one key source: jwks, publicKeys or secret'
        : `takes exactly one key source, not ${given.join(' and ')}, so that an HMAC secret and public keys never meet`,
    );
  }
  if (options.jwks !== undefined) return resolveJwks(options.jwks);
  if (options.publicKeys !== undefined) return resolvePublicKeys(options.publicKeys);
  return resolveSecret(options.secret);
}

function resolveJwks(jwks: JwksKeySourceOptions): ResolvedKeySource {
  const setting = `${SETTING}.jwks`;
  rejectUnknownKeys(jwks, JWKS_KEYS, setting);
  const text = requiredName(jwks?.url, `${setting}.url`);
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new MessageBusConfigurationError(`${setting}.url`, 'must be an absolute http(s) URL');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new MessageBusConfigurationError(`${setting}.url`, 'must be an http(s) URL');
  }
  return {
    kind: 'jwks',
    url,
    cacheMaxAgeMs: wholeNumber(jwks.cacheMaxAgeMs ?? 600_000, `${setting}.cacheMaxAgeMs`, 0),
    cooldownMs: wholeNumber(jwks.cooldownMs ?? 30_000, `${setting}.cooldownMs`, 0),
    timeoutMs: wholeNumber(jwks.timeoutMs ?? 5_000, `${setting}.timeoutMs`, 1, 60_000),
  };
}

function resolvePublicKeys(publicKeys: PublicKeyOptions[]): ResolvedKeySource {
  if (!Array.isArray(publicKeys) || publicKeys.length === 0) {
    throw new MessageBusConfigurationError(`${SETTING}.publicKeys`, 'must be a non-empty array');
  }
  const keys = publicKeys.map((entry, index) => {
    const setting = `${SETTING}.publicKeys[${index}]`;
    rejectUnknownKeys(entry, PUBLIC_KEY_KEYS, setting);
    const kid = entry.kid === undefined ? undefined : requiredName(entry.kid, `${setting}.kid`);
    const jwk = toPublicJwk(entry.key, `${setting}.key`);
    return kid === undefined ? jwk : { ...jwk, kid };
  });
  return { kind: 'public-keys', keys };
}

function toPublicJwk(key: string | JWK, setting: string): JWK {
  if (typeof key === 'object' && key !== null) {
    if (key.kty === 'oct') {
      throw new MessageBusConfigurationError(
        setting,
        'is a symmetric key: give an HMAC key as tokenVerification.secret',
      );
    }
    if ('d' in key) {
      throw new MessageBusConfigurationError(
        setting,
        'is a private key: give its public part only',
      );
    }
    if (typeof key.kty !== 'string') {
      throw new MessageBusConfigurationError(setting, 'must be a public JWK with a kty');
    }
    return { ...key };
  }
  if (typeof key !== 'string' || !key.includes('-----BEGIN PUBLIC KEY-----')) {
    throw new MessageBusConfigurationError(
      setting,
      'must be a PEM public key (-----BEGIN PUBLIC KEY-----) or a public JWK',
    );
  }
  try {
    return createPublicKey(key).export({ format: 'jwk' });
  } catch {
    throw new MessageBusConfigurationError(setting, 'is not a readable PEM public key');
  }
}

function resolveSecret(secret: unknown): ResolvedKeySource {
  const bytes =
    typeof secret === 'string'
      ? new TextEncoder().encode(secret)
      : secret instanceof Uint8Array
        ? secret
        : undefined;
  if (bytes === undefined || bytes.byteLength < MIN_SECRET_BYTES) {
    throw new MessageBusConfigurationError(
      `${SETTING}.secret`,
      `must be a string or bytes of at least ${MIN_SECRET_BYTES} bytes`,
    );
  }
  return { kind: 'secret', secret: bytes };
}

function resolveAlgorithms(algorithms: unknown, hmac: boolean): string[] {
  const setting = `${SETTING}.algorithms`;
  if (!Array.isArray(algorithms) || algorithms.length === 0) {
    throw new MessageBusConfigurationError(
      setting,
      "is required: list the accepted algorithms, e.g. ['RS256']",
    );
  }
  const allowed = hmac ? HMAC_ALGORITHMS : PUBLIC_KEY_ALGORITHMS;
  for (const algorithm of algorithms) {
    if (typeof algorithm === 'string' && algorithm.toLowerCase() === 'none') {
      throw new MessageBusConfigurationError(
        setting,
        "must not list 'none': unsigned tokens are never accepted",
      );
    }
    if (typeof algorithm !== 'string' || !allowed.includes(algorithm)) {
      throw new MessageBusConfigurationError(
        setting,
        `lists ${JSON.stringify(algorithm)}, which ${hmac ? 'an HMAC secret' : 'public keys'} cannot verify: use ${allowed.join(', ')}`,
      );
    }
  }
  return [...new Set(algorithms as string[])];
}

function optionalNames(value: unknown, setting: string): string | string[] | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'string') return requiredName(value, setting);
  return names(value, setting);
}

function names(value: unknown, setting: string): string[] {
  if (
    !Array.isArray(value) ||
    !value.every((item) => typeof item === 'string' && item.trim() !== '')
  ) {
    throw new MessageBusConfigurationError(setting, 'must be an array of non-blank strings');
  }
  return value as string[];
}
