import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MessageBusConfigurationError } from '../../../lib/errors/message-bus-configuration.error';
import { TokenKeySourceUnavailableError } from '../../../lib/errors/token-key-source-unavailable.error';
import { resolveTokenVerification } from '../../../lib/trust/resolve-token-verification';
import { TokenVerifier, type TokenVerdict } from '../../../lib/trust/token-verifier';
import type { TokenVerificationOptions } from '../../../lib/trust/token-verification-options.interface';
import { JwksServer } from '../../support/jwks-server';
import {
  TOKEN_AUDIENCE,
  TOKEN_ISSUER,
  TOKEN_SOURCE,
  publicKeyAsHmacSecret,
  signHmacToken,
  signToken,
  signingKey,
  tamperedPayload,
  unsignedToken,
  type SigningKey,
} from '../../support/service-tokens';

const SECRET = 'a-shared-hmac-secret-of-32-bytes-at-least!';

function verifier(options: Partial<TokenVerificationOptions>): TokenVerifier {
  return new TokenVerifier(
    resolveTokenVerification({
      algorithms: ['RS256'],
      issuer: TOKEN_ISSUER,
      audience: TOKEN_AUDIENCE,
      ...options,
    }),
  );
}

/** The check a refused verdict names; fails the test on any other verdict. */
function refusedCheck(verdict: TokenVerdict): string {
  expect(verdict.verdict).toBe('refused');
  return verdict.verdict === 'refused' ? verdict.error.check : '';
}

describe('TokenVerifier with a JWKS served over HTTP', () => {
  let jwks: JwksServer;
  let k1: SigningKey;
  let k2: SigningKey;
  let k3: SigningKey;

  beforeAll(async () => {
    [k1, k2, k3] = await Promise.all([signingKey('k1'), signingKey('k2'), signingKey('k3')]);
    jwks = await JwksServer.start([k1.publicJwk]);
  });
  afterAll(() => jwks.close());

  const fromJwks = () => verifier({ jwks: { url: jwks.url, cooldownMs: 0 } });

  it('verifies a valid token and hands back its claims and header', async () => {
    const verdict = await fromJwks().verify(
      await signToken(k1, { extra: { scope: 'pay' } }),
      TOKEN_SOURCE,
    );
    expect(verdict.verdict).toBe('verified');
    if (verdict.verdict !== 'verified') return;
    expect(verdict.token.claims).toMatchObject({
      sub: TOKEN_SOURCE,
      iss: TOKEN_ISSUER,
      scope: 'pay',
    });
    expect(verdict.token.header).toMatchObject({ alg: 'RS256', kid: 'k1' });
  });

  it.each([
    ['expired', { expiresIn: -3_600 }],
    ['not-yet-valid', { notBeforeIn: 3_600 }],
    ['wrong-audience', { aud: 'another-service' }],
    ['wrong-issuer', { iss: 'https://evil.example' }],
    ['source-mismatch', { sub: 'OTHER_SERVICE' }],
  ] as const)('refuses a token that fails %s', async (check, shape) => {
    expect(refusedCheck(await fromJwks().verify(await signToken(k1, shape), TOKEN_SOURCE))).toBe(
      check,
    );
  });

  it('accepts exp and nbf within the clock tolerance', async () => {
    const v = verifier({ jwks: { url: jwks.url }, clockToleranceSeconds: 30 });
    expect((await v.verify(await signToken(k1, { expiresIn: -10 }), TOKEN_SOURCE)).verdict).toBe(
      'verified',
    );
    expect((await v.verify(await signToken(k1, { notBeforeIn: 10 }), TOKEN_SOURCE)).verdict).toBe(
      'verified',
    );
  });

  it('refuses tampered claims (bad-signature), alg none and HS256 keyed with the public key', async () => {
    const v = fromJwks();
    expect(refusedCheck(await v.verify(await tamperedPayload(k1), TOKEN_SOURCE))).toBe(
      'bad-signature',
    );
    expect(refusedCheck(await v.verify(unsignedToken('k1'), TOKEN_SOURCE))).toBe(
      'algorithm-not-allowed',
    );
    expect(refusedCheck(await v.verify(await publicKeyAsHmacSecret(k1), TOKEN_SOURCE))).toBe(
      'algorithm-not-allowed',
    );
  });

  it('refuses what is not a JWT as malformed, and never quotes the token', async () => {
    const verdict = await fromJwks().verify('not-a-jwt-SECRETISH', TOKEN_SOURCE);
    expect(refusedCheck(verdict)).toBe('malformed');
    if (verdict.verdict === 'refused') expect(verdict.error.message).not.toContain('SECRETISH');
  });

  it('names the claim a required claim check misses', async () => {
    const v = verifier({ jwks: { url: jwks.url }, requiredClaims: ['jti'] });
    const verdict = await v.verify(await signToken(k1), TOKEN_SOURCE);
    expect(refusedCheck(verdict)).toBe('missing-claim');
    if (verdict.verdict === 'refused') expect(verdict.error.message).toContain('jti');
  });

  it('checks another claim against meta_data.source, or none', async () => {
    const token = await signToken(k1, { sub: 'someone', extra: { service: TOKEN_SOURCE } });
    expect(
      (
        await verifier({ jwks: { url: jwks.url }, sourceClaim: 'service' }).verify(
          token,
          TOKEN_SOURCE,
        )
      ).verdict,
    ).toBe('verified');
    expect(
      (await verifier({ jwks: { url: jwks.url }, sourceClaim: false }).verify(token, 'ANY'))
        .verdict,
    ).toBe('verified');
    expect(refusedCheck(await fromJwks().verify(token, TOKEN_SOURCE))).toBe('source-mismatch');
  });

  it('refetches the key set on an unknown kid: unknown-key until the issuer rotates, then verified', async () => {
    const v = fromJwks();
    const token = await signToken(k2);
    const before = jwks.requests;
    expect(refusedCheck(await v.verify(token, TOKEN_SOURCE))).toBe('unknown-key');
    expect(jwks.requests).toBeGreaterThan(before);
    jwks.serve([k1.publicJwk, k2.publicJwk]);
    try {
      expect((await v.verify(token, TOKEN_SOURCE)).verdict).toBe('verified');
    } finally {
      jwks.serve([k1.publicJwk]);
    }
  });

  it('bounds refetches: within the cooldown an unknown kid costs no request', async () => {
    const v = verifier({ jwks: { url: jwks.url, cooldownMs: 60_000 } });
    expect((await v.verify(await signToken(k1), TOKEN_SOURCE)).verdict).toBe('verified');
    const after = jwks.requests;
    for (let i = 0; i < 5; i += 1)
      expect(refusedCheck(await v.verify(await signToken(k3), TOKEN_SOURCE))).toBe('unknown-key');
    expect(jwks.requests).toBe(after);
  });

  it('caches the key set: valid tokens cost one fetch', async () => {
    const v = fromJwks();
    const before = jwks.requests;
    for (let i = 0; i < 5; i += 1)
      expect((await v.verify(await signToken(k1), TOKEN_SOURCE)).verdict).toBe('verified');
    expect(jwks.requests - before).toBe(1);
  });

  it('reports a JWKS that answers 503 as unavailable (to retry), then verifies once it is back', async () => {
    const v = fromJwks();
    const token = await signToken(k1);
    jwks.down();
    try {
      const verdict = await v.verify(token, TOKEN_SOURCE);
      expect(verdict.verdict).toBe('unavailable');
      if (verdict.verdict === 'unavailable') {
        expect(verdict.error).toBeInstanceOf(TokenKeySourceUnavailableError);
        expect(verdict.error.message).toContain('/.well-known/jwks.json');
      }
    } finally {
      jwks.up();
    }
    expect((await v.verify(token, TOKEN_SOURCE)).verdict).toBe('verified');
  });

  it('reports a JWKS that refuses connections as unavailable', async () => {
    const closed = await JwksServer.start([k1.publicJwk]);
    const url = closed.url;
    await closed.close();
    const verdict = await verifier({ jwks: { url, timeoutMs: 2_000 } }).verify(
      await signToken(k1),
      TOKEN_SOURCE,
    );
    expect(verdict.verdict).toBe('unavailable');
  });
});

describe('TokenVerifier with keys given in the options', () => {
  let k1: SigningKey;
  let k2: SigningKey;
  beforeAll(async () => {
    [k1, k2] = await Promise.all([signingKey('k1'), signingKey('k2')]);
  });

  it('verifies with a PEM public key, and refuses a token of another key', async () => {
    const v = verifier({ publicKeys: [{ key: k1.publicPem }] });
    expect((await v.verify(await signToken(k1), TOKEN_SOURCE)).verdict).toBe('verified');
    expect(['bad-signature', 'unknown-key']).toContain(
      refusedCheck(await v.verify(await signToken(k2), TOKEN_SOURCE)),
    );
  });

  it('verifies with public JWKs chosen by kid', async () => {
    const v = verifier({ publicKeys: [{ key: k1.publicJwk }, { key: k2.publicJwk }] });
    expect((await v.verify(await signToken(k2), TOKEN_SOURCE)).verdict).toBe('verified');
    expect(refusedCheck(await v.verify(unsignedToken('k1'), TOKEN_SOURCE))).toBe(
      'algorithm-not-allowed',
    );
  });

  it('verifies HS256 with a shared secret, and refuses RS256 tokens there', async () => {
    const v = verifier({ secret: SECRET, algorithms: ['HS256'] });
    expect((await v.verify(await signHmacToken(SECRET), TOKEN_SOURCE)).verdict).toBe('verified');
    expect(refusedCheck(await v.verify(await signHmacToken('x'.repeat(40)), TOKEN_SOURCE))).toBe(
      'bad-signature',
    );
    expect(refusedCheck(await v.verify(await signToken(k1), TOKEN_SOURCE))).toBe(
      'algorithm-not-allowed',
    );
  });
});

describe('resolveTokenVerification', () => {
  const refused = (options: Record<string, unknown>): string => {
    try {
      resolveTokenVerification(options as unknown as TokenVerificationOptions);
    } catch (error) {
      expect(error).toBeInstanceOf(MessageBusConfigurationError);
      return (error as MessageBusConfigurationError).setting;
    }
    throw new Error('expected a MessageBusConfigurationError');
  };
  const jwks = { url: 'https://auth.example/.well-known/jwks.json' };

  it('refuses alg none, mixed families, HMAC algorithms with public keys and none listed', () => {
    expect(refused({ jwks, algorithms: ['none'] })).toBe('tokenVerification.algorithms');
    expect(refused({ jwks, algorithms: ['RS256', 'HS256'] })).toBe('tokenVerification.algorithms');
    expect(refused({ secret: SECRET, algorithms: ['RS256'] })).toBe('tokenVerification.algorithms');
    expect(refused({ jwks, algorithms: [] })).toBe('tokenVerification.algorithms');
    expect(refused({ jwks })).toBe('tokenVerification.algorithms');
  });

  it('takes exactly one key source, and refuses a short secret, a private or symmetric key, a bad URL', () => {
    expect(refused({ algorithms: ['RS256'] })).toBe('tokenVerification');
    expect(refused({ jwks, secret: SECRET, algorithms: ['RS256'] })).toBe('tokenVerification');
    expect(refused({ secret: 'short', algorithms: ['HS256'] })).toBe('tokenVerification.secret');
    expect(
      refused({ publicKeys: [{ key: { kty: 'oct', k: 'abc' } }], algorithms: ['RS256'] }),
    ).toBe('tokenVerification.publicKeys[0].key');
    expect(
      refused({
        publicKeys: [{ key: { kty: 'RSA', n: 'x', e: 'AQAB', d: 'y' } }],
        algorithms: ['RS256'],
      }),
    ).toBe('tokenVerification.publicKeys[0].key');
    expect(refused({ publicKeys: [{ key: 'not a pem' }], algorithms: ['RS256'] })).toBe(
      'tokenVerification.publicKeys[0].key',
    );
    expect(refused({ jwks: { url: 'ftp://x/keys' }, algorithms: ['RS256'] })).toBe(
      'tokenVerification.jwks.url',
    );
    expect(refused({ jwks, algorithms: ['RS256'], audiance: 'x' })).toBe(
      'tokenVerification.audiance',
    );
  });

  it('always requires exp and checks sub against the source by default', () => {
    const resolved = resolveTokenVerification({
      jwks,
      algorithms: ['RS256'],
      requiredClaims: ['jti'],
    });
    expect(resolved.requiredClaims).toEqual(['exp', 'jti']);
    expect(resolved.sourceClaim).toBe('sub');
    expect(resolved.clockToleranceSeconds).toBe(5);
  });
});
