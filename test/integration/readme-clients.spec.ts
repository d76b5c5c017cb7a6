import { afterEach, describe, expect, it, vi } from 'vitest';
import { readmeExample } from '../support/readme-examples';

/** The README's client examples, run as written against the local brokers they name. */
describe('README client examples', () => {
  afterEach(() => vi.restoreAllMocks());

  it('the SQS example sends, receives a validated message and deletes it', async () => {
    const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
    await import(readmeExample('sqs-client'));
    await vi.waitFor(
      () =>
        expect(log).toHaveBeenCalledWith(
          'PAYMENT',
          expect.objectContaining({ reference: 'REF123' }),
        ),
      {
        timeout: 30_000,
        interval: 100,
      },
    );
    expect(log).toHaveBeenCalledWith('sent', expect.any(String));
  });

  it('the Kafka example sends with a key, receives a validated message and commits it', async () => {
    const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
    const error = vi.spyOn(console, 'error');
    await import(readmeExample('kafka-client'));
    await vi.waitFor(
      () =>
        expect(log).toHaveBeenCalledWith(
          'PAYMENT',
          expect.objectContaining({ direction: 'INBOUND' }),
        ),
      {
        timeout: 45_000,
        interval: 100,
      },
    );
    expect(
      log.mock.calls.some(([line]) =>
        /^written to partition \d+ at offset \d+$/.test(String(line)),
      ),
    ).toBe(true);
    expect(error).not.toHaveBeenCalled();
  });
});
