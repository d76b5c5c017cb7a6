import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TokenCheck, TokenVerificationOptions } from 'nestjs-message-bus';
import { JwksServer } from '../../support/jwks-server';
import { buildPaymentMessage } from '../../support/payment-message';
import {
  TOKEN_AUDIENCE,
  TOKEN_ISSUER,
  TOKEN_SOURCE,
  publicKeyAsHmacSecret,
  signToken,
  signingKey,
  tamperedPayload,
  unsignedToken,
  type SigningKey,
} from '../../support/service-tokens';
import { waitFor } from '../runtime/sqs/sqs-consumer-kit';
import { VERIFIED_CALLS } from './token-handler';
import {
  KafkaTokenRig,
  MemoryTokenRig,
  SqsTokenRig,
  type ObservedDeadLetter,
  type TokenRig,
} from './token-rigs';

interface Keys {
  readonly k1: SigningKey;
  readonly k2: SigningKey;
  readonly k3: SigningKey;
}

/** A case of the issue's list: the token a message carries and what must become of it. */
interface TokenCase {
  readonly id: string;
  readonly token: (keys: Keys) => Promise<string> | string;
  /** `handled`: the handler runs once, with the claims; else dead-lettered at once naming the check. */
  readonly expected: 'handled' | TokenCheck;
}

/** Phase 1: sent together, the JWKS serving k1 only. */
const CASES: readonly TokenCase[] = [
  { id: 'valid', token: ({ k1 }) => signToken(k1), expected: 'handled' },
  { id: 'expired', token: ({ k1 }) => signToken(k1, { expiresIn: -3_600 }), expected: 'expired' },
  {
    id: 'not-yet-valid',
    token: ({ k1 }) => signToken(k1, { notBeforeIn: 3_600 }),
    expected: 'not-yet-valid',
  },
  {
    id: 'wrong-aud',
    token: ({ k1 }) => signToken(k1, { aud: 'another-service' }),
    expected: 'wrong-audience',
  },
  {
    id: 'wrong-iss',
    token: ({ k1 }) => signToken(k1, { iss: 'https://evil.example' }),
    expected: 'wrong-issuer',
  },
  { id: 'tampered-payload', token: ({ k1 }) => tamperedPayload(k1), expected: 'bad-signature' },
  { id: 'alg-none', token: () => unsignedToken('k1'), expected: 'algorithm-not-allowed' },
  {
    id: 'hs256-public-key',
    token: ({ k1 }) => publicKeyAsHmacSecret(k1),
    expected: 'algorithm-not-allowed',
  },
  {
    id: 'source-mismatch',
    token: ({ k1 }) => signToken(k1, { sub: 'OTHER_SERVICE' }),
    expected: 'source-mismatch',
  },
  { id: 'unknown-kid', token: ({ k2 }) => signToken(k2), expected: 'unknown-key' },
];

const RIGS: Array<() => TokenRig> = [
  () => new MemoryTokenRig(),
  () => new SqsTokenRig(),
  () => new KafkaTokenRig(),
];

describe.each(RIGS.map((make) => [make().name, make] as const))(
  'service-token verification on %s',
  (name, make) => {
    let rig: TokenRig;
    let jwks: JwksServer;
    let keys: Keys;
    const tokens = new Map<string, string>();
    const run = `${name.split(' ')[0]}-${Date.now()}`;
    const reference = (id: string): string => `TOK-${run}-${id}`;

    beforeAll(async () => {
      const [k1, k2, k3] = await Promise.all([
        signingKey('k1'),
        signingKey('k2'),
        signingKey('k3'),
      ]);
      keys = { k1, k2, k3 };
      jwks = await JwksServer.start([k1.publicJwk]);
      const options: TokenVerificationOptions = {
        jwks: { url: jwks.url, cooldownMs: 0 },
        algorithms: ['RS256'],
        issuer: TOKEN_ISSUER,
        audience: TOKEN_AUDIENCE,
      };
      rig = make();
      await rig.start(options);
    });
    afterAll(async () => {
      await rig?.close();
      await jwks?.close();
    });

    async function send(id: string, token: string): Promise<void> {
      tokens.set(id, token);
      const message = buildPaymentMessage({
        reference: reference(id),
        payerName: 'Token Tester',
        serviceToken: token,
      });
      await rig.send(message.serialize());
    }

    const callsOf = (id: string) =>
      VERIFIED_CALLS.filter((call) => call.reference === reference(id));
    const deadLetterOf = (letters: ObservedDeadLetter[], id: string) =>
      letters.find((letter) => letter.body.includes(`"${reference(id)}"`));

    /** Waits until each case is handled or dead-lettered, and the source has nothing left. */
    async function settled(ids: string[]): Promise<ObservedDeadLetter[]> {
      let letters: ObservedDeadLetter[] = [];
      await waitFor(
        `${ids.join(', ')} to be handled or dead-lettered on ${name}`,
        async () => {
          letters = await rig.deadLetters();
          const done = ids.every((id) => callsOf(id).length > 0 || deadLetterOf(letters, id));
          return done && (await rig.sourceDrained());
        },
        45_000,
        250,
      );
      return letters;
    }

    it('handles a valid token with its claims, and dead-letters every bad one at once naming the check', async () => {
      for (const tokenCase of CASES) await send(tokenCase.id, await tokenCase.token(keys));
      const letters = await settled(CASES.map((c) => c.id));

      for (const { id, expected } of CASES) {
        const calls = callsOf(id);
        const letter = deadLetterOf(letters, id);
        if (expected === 'handled') {
          expect(letter, id).toBeUndefined();
          expect(calls, id).toHaveLength(1);
          expect(calls[0]).toMatchObject({
            attempt: 1,
            subject: TOKEN_SOURCE,
            contextSubject: TOKEN_SOURCE,
          });
          expect(calls[0].claims).toMatchObject({ iss: TOKEN_ISSUER, aud: TOKEN_AUDIENCE });
          continue;
        }
        expect(calls, `${id}: the handler must not run`).toHaveLength(0);
        expect(letter, `${id}: dead-lettered`).toBeDefined();
        expect(letter?.reason, id).toMatch(
          new RegExp(
            `^unauthenticated: TokenVerificationError: meta_data\\.token failed verification: ${expected} \\(`,
          ),
        );
        // Never retried: dead-lettered on its first delivery.
        expect(letter?.attempts, id).toBe('1');
        // The token is in the message body, which is the dead letter itself, but in no header and no log line.
        const token = tokens.get(id) as string;
        for (const [header, value] of Object.entries(letter?.headers ?? {}))
          expect(value.includes(token), `${id}: header ${header}`).toBe(false);
      }
      const refusals = CASES.filter((c) => c.expected !== 'handled').length;
      expect(rig.status()).toMatchObject({ unauthenticated: refusals, deadLettered: refusals });
      for (const token of tokens.values())
        expect(rig.logger.lines.filter((line) => line.text.includes(token))).toEqual([]);
    });

    it('verifies a token of a rotated-in key: the unknown kid makes it fetch the key set again', async () => {
      jwks.serve([keys.k1.publicJwk, keys.k2.publicJwk]);
      await send('rotated', await signToken(keys.k2));
      const letters = await settled(['rotated']);
      expect(deadLetterOf(letters, 'rotated')).toBeUndefined();
      expect(callsOf('rotated')).toMatchObject([{ attempt: 1, subject: TOKEN_SOURCE }]);
    });

    it('retries while the JWKS is down (a transient failure), and handles the message once it is back', async () => {
      jwks.down();
      const refusedBefore = jwks.refused;
      await send('jwks-down', await signToken(keys.k3));
      try {
        await waitFor(
          'a JWKS fetch while it is down',
          () => jwks.refused > refusedBefore,
          20_000,
          20,
        );
      } finally {
        jwks.serve([keys.k1.publicJwk, keys.k2.publicJwk, keys.k3.publicJwk]);
        jwks.up();
      }
      const letters = await settled(['jwks-down']);
      expect(deadLetterOf(letters, 'jwks-down')).toBeUndefined();
      const calls = callsOf('jwks-down');
      expect(calls).toHaveLength(1);
      expect(calls[0].attempt).toBeGreaterThanOrEqual(2);
      expect(
        rig.logger.lines.some((line) =>
          line.text.includes('could not be read to verify meta_data.token'),
        ),
      ).toBe(true);
    });
  },
);
