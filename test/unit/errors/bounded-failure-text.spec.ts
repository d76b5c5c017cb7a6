import { describe, expect, it } from 'vitest';
import {
  boundFailureText,
  boundFieldPath,
  FAILURE_TEXT_MAX_BYTES,
  FIELD_PATH_MAX_LENGTH,
  fieldPathOf,
  indexPathOf,
  listProblems,
  utf8Prefix,
} from '../../../lib/errors/bounded-failure-text';
import { MessageBusMessage, MessageValidationError } from '../../../lib/index';
import { describeFailure } from '../../../lib/dispatch/delivery-outcome';
import { longKeyEnvelope } from '../../support/poison-messages';

const bytesOf = (text: string): number => Buffer.byteLength(text, 'utf8');

function validationError(input: string): MessageValidationError {
  try {
    MessageBusMessage.fromJSON(input);
  } catch (error) {
    expect(error).toBeInstanceOf(MessageValidationError);
    return error as MessageValidationError;
  }
  throw new Error('the message was accepted');
}

describe('boundFailureText', () => {
  it('leaves text within the cap as it is', () => {
    const text = `invalid-message: ${'é'.repeat(300)}`;
    expect(boundFailureText(text)).toBe(text);
    expect(boundFailureText('x'.repeat(FAILURE_TEXT_MAX_BYTES))).toHaveLength(
      FAILURE_TEXT_MAX_BYTES,
    );
  });

  it('cuts longer text to the cap in UTF-8 bytes, never inside a character, and marks the cut', () => {
    for (const char of ['x', 'é', '€', '😀']) {
      const bounded = boundFailureText(char.repeat(5_000));
      expect(bytesOf(bounded)).toBeLessThanOrEqual(FAILURE_TEXT_MAX_BYTES);
      expect(bytesOf(bounded)).toBeGreaterThan(FAILURE_TEXT_MAX_BYTES - 8);
      expect(bounded.endsWith('…')).toBe(true);
      expect(bounded.slice(0, -1)).toBe(char.repeat([...bounded].length - 1));
    }
    expect(boundFailureText('abcdef', 5)).toBe('ab…');
    expect(boundFailureText('abcdef', 2)).toBe('');
  });

  it('utf8Prefix keeps whole characters only', () => {
    expect(utf8Prefix('a€b', 3)).toBe('a');
    expect(utf8Prefix('a€b', 4)).toBe('a€');
    expect(utf8Prefix('😀😀', 5)).toBe('😀');
  });
});

describe('field paths from untrusted keys', () => {
  it('cut each key and the whole path, keeping its start and its end', () => {
    expect(fieldPathOf('payload', 'currency')).toBe('payload.currency');
    const long = fieldPathOf('payload', 'k'.repeat(10_000));
    expect(long).toBe(`payload.${'k'.repeat(63)}…`);
    let path = 'payload';
    for (let level = 0; level < 100; level += 1) path = fieldPathOf(path, `key${level}`);
    path = indexPathOf(path, 7);
    expect(path).toHaveLength(FIELD_PATH_MAX_LENGTH);
    expect(path.startsWith('payload.key0.key1.')).toBe(true);
    expect(path.endsWith('.key99[7]')).toBe(true);
    expect(boundFieldPath('short.path')).toBe('short.path');
  });
});

describe('listProblems', () => {
  it('lists the first 20 problems, then how many more', () => {
    const problems = Array.from({ length: 25 }, (_, index) => `p${index}`);
    expect(listProblems(problems.slice(0, 20))).toBe(problems.slice(0, 20).join('; '));
    expect(listProblems(problems)).toBe(`${problems.slice(0, 20).join('; ')}; and 5 more`);
  });
});

describe('a validation failure on an attacker-chosen shape stays small', () => {
  it('a 600 kB envelope nesting objects under long keys gives a short message and a bounded reason', () => {
    const input = longKeyEnvelope(600_000);
    expect(input.length).toBeGreaterThan(600_000);
    const error = validationError(input);
    expect(error.message).toMatch(/^Invalid message: payload\.payload\.[a-z]{10}/);
    expect(error.message).toContain('is nested more than 32 levels deep');
    expect(error.message.length).toBeLessThan(2 * FIELD_PATH_MAX_LENGTH);
    expect(error.fields[0].length).toBeLessThanOrEqual(FIELD_PATH_MAX_LENGTH);
  });

  it('a message with hundreds of bad fields lists 20 of them', () => {
    const fields = Object.fromEntries(
      Array.from({ length: 300 }, (_, index) => [`field_${index}`, 'not-a-number']),
    );
    const error = new MessageValidationError(
      Object.keys(fields).map((field) => ({ field, problems: [`${field} is wrong`] })),
    );
    expect(error.issues).toHaveLength(300);
    expect(error.message).toContain('field_19 is wrong; and 280 more');
    expect(error.message).not.toContain('field_20 ');
  });

  it('describeFailure of such an error fits the cap by itself', () => {
    const error = new MessageValidationError([
      { field: 'payload.x', problems: [`payload.x ${'is wrong '.repeat(10_000)}`] },
    ]);
    const reason = describeFailure({ status: 'rejected', reason: 'invalid-message', error });
    expect(bytesOf(reason)).toBeLessThanOrEqual(FAILURE_TEXT_MAX_BYTES);
    expect(
      reason.startsWith('invalid-message: MessageValidationError: Invalid message: payload.x'),
    ).toBe(true);
  });

  it('describeFailure bounds a handler error and a thrown non-error as long as the message', () => {
    const loud = describeFailure({ status: 'failed', error: new Error('é'.repeat(300_000)) });
    const thrown = describeFailure({ status: 'failed', error: 'x'.repeat(600_000) });
    for (const reason of [loud, thrown]) {
      expect(bytesOf(reason)).toBeLessThanOrEqual(FAILURE_TEXT_MAX_BYTES);
      expect(reason.endsWith('…')).toBe(true);
    }
    expect(loud.startsWith('handler-error: Error: éé')).toBe(true);
    expect(thrown.startsWith('handler-error: xx')).toBe(true);
  });
});
