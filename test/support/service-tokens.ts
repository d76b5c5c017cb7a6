import type { CryptoKey, JWK, JWTPayload } from 'jose' with { 'resolution-mode': 'import' };

type Jose = typeof import('jose', { with: { 'resolution-mode': 'import' } });
/** jose is ESM only, and the tests compile as CommonJS: it is loaded, as the library loads it. */
export const jose: Promise<Jose> = import('jose');

export const TOKEN_ISSUER = 'https://auth.test.local';
export const TOKEN_AUDIENCE = 'payments-service';
export const TOKEN_SOURCE = 'BANKING_SERVICE';

/** An RSA key pair as an issuer holds it: the private key signs, the public JWK is published. */
export interface SigningKey {
  readonly kid: string;
  readonly privateKey: CryptoKey;
  readonly publicJwk: JWK;
  readonly publicPem: string;
}

export async function signingKey(kid: string): Promise<SigningKey> {
  const { generateKeyPair, exportJWK, exportSPKI } = await jose;
  const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
  const publicJwk = { ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' };
  return { kid, privateKey, publicJwk, publicPem: await exportSPKI(publicKey) };
}

export interface TokenShape {
  readonly sub?: string;
  readonly iss?: string;
  readonly aud?: string;
  /** Seconds from now. */
  readonly expiresIn?: number;
  readonly notBeforeIn?: number;
  readonly extra?: JWTPayload;
}

const now = (): number => Math.floor(Date.now() / 1_000);

/** A service token signed with `key`: valid for the test's issuer, audience and source unless `shape` says otherwise. */
export async function signToken(key: SigningKey, shape: TokenShape = {}): Promise<string> {
  const { SignJWT } = await jose;
  let jwt = new SignJWT({ ...shape.extra })
    .setProtectedHeader({ alg: 'RS256', kid: key.kid, typ: 'JWT' })
    .setIssuer(shape.iss ?? TOKEN_ISSUER)
    .setAudience(shape.aud ?? TOKEN_AUDIENCE)
    .setSubject(shape.sub ?? TOKEN_SOURCE)
    .setIssuedAt()
    .setExpirationTime(now() + (shape.expiresIn ?? 300));
  if (shape.notBeforeIn !== undefined) jwt = jwt.setNotBefore(now() + shape.notBeforeIn);
  return jwt.sign(key.privateKey);
}

/** A HS256 token signed with `secret`. */
export async function signHmacToken(
  secret: string | Uint8Array,
  shape: TokenShape = {},
): Promise<string> {
  const { SignJWT } = await jose;
  const bytes = typeof secret === 'string' ? new TextEncoder().encode(secret) : secret;
  return new SignJWT({ ...shape.extra })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setIssuer(shape.iss ?? TOKEN_ISSUER)
    .setAudience(shape.aud ?? TOKEN_AUDIENCE)
    .setSubject(shape.sub ?? TOKEN_SOURCE)
    .setIssuedAt()
    .setExpirationTime(now() + (shape.expiresIn ?? 300))
    .sign(bytes);
}

function base64url(value: object): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

/** A valid token whose claims were edited after signing (a raised privilege, say). */
export async function tamperedPayload(key: SigningKey): Promise<string> {
  const [header, , signature] = (await signToken(key)).split('.');
  const claims = {
    iss: TOKEN_ISSUER,
    aud: TOKEN_AUDIENCE,
    sub: TOKEN_SOURCE,
    exp: now() + 300,
    admin: true,
  };
  return `${header}.${base64url(claims)}.${signature}`;
}

/** The same claims unsigned, the header saying `alg: none`. */
export function unsignedToken(kid: string): string {
  const claims = { iss: TOKEN_ISSUER, aud: TOKEN_AUDIENCE, sub: TOKEN_SOURCE, exp: now() + 300 };
  return `${base64url({ alg: 'none', kid, typ: 'JWT' })}.${base64url(claims)}.`;
}

/** The algorithm-confusion attack: HS256, with the issuer's public key (its PEM text) as the HMAC secret. */
export async function publicKeyAsHmacSecret(key: SigningKey): Promise<string> {
  const { SignJWT } = await jose;
  return new SignJWT({})
    .setProtectedHeader({ alg: 'HS256', kid: key.kid, typ: 'JWT' })
    .setIssuer(TOKEN_ISSUER)
    .setAudience(TOKEN_AUDIENCE)
    .setSubject(TOKEN_SOURCE)
    .setExpirationTime(now() + 300)
    .sign(new TextEncoder().encode(key.publicPem));
}
