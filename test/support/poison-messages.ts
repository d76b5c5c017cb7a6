/**
 * Poison messages for the size-limit suites: invalid envelopes built to an exact size, and
 * the long-key payload whose validation error would repeat the sender's keys.
 */

const NESTING = 40;

/**
 * An ADDRESS_ONBOARDED event of at least `bytes` UTF-8 bytes whose `payload.payload` nests
 * objects 40 deep under keys of `bytes / 40` characters: too deep to be valid, and the path to
 * the deepest object is as long as the message.
 */
export function longKeyEnvelope(bytes: number, serviceToken = 'poison.token'): string {
  const keyLength = Math.ceil(bytes / NESTING);
  let nested: Record<string, unknown> = { leaf: 'x' };
  for (let level = 0; level < NESTING; level += 1) {
    nested = { [`${String.fromCharCode(97 + (level % 26))}`.repeat(keyLength)]: nested };
  }
  return JSON.stringify({
    meta_data: {
      source: 'ONBOARDING_SERVICE',
      created_at: '2024-01-01T00:00:00Z',
      token: serviceToken,
      idempotency_key: 'long-key-poison',
      event: 'ADDRESS_ONBOARDED',
    },
    payload: { email: 'someone@example.com', payload: nested },
  });
}

/**
 * A PAYMENT instruction of exactly `bytes` UTF-8 bytes that fails validation (no `currency`);
 * an unknown `padding` field makes up the size. `reference` names it.
 */
export function paddedInvalidEnvelope(
  bytes: number,
  reference: string,
  serviceToken = 'poison.token',
): string {
  const build = (padding: string): string =>
    JSON.stringify({
      meta_data: {
        source: 'BANKING_SERVICE',
        created_at: '2024-01-01T00:00:00Z',
        token: serviceToken,
        idempotency_key: `poison-${reference}`,
        instruction_type: 'PAYMENT',
      },
      payload: {
        external_reference: `EXT-${reference}`,
        payer_name: 'Zoë Müller',
        value: '100.00',
        source: 'BANK',
        reference,
        direction: 'INBOUND',
        padding,
      },
    });
  const missing = bytes - Buffer.byteLength(build(''), 'utf8');
  if (missing < 0) throw new Error(`an invalid PAYMENT needs more than ${bytes} bytes`);
  return build('x'.repeat(missing));
}
