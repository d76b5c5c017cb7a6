import { MessageBusError } from './message-bus.error';

/**
 * The JWKS endpoint could not be read (down, timing out, not answering 200 with a key set): a
 * transient failure, so the message is retried with the consumer's backoff, not refused.
 */
export class TokenKeySourceUnavailableError extends MessageBusError {
  override readonly name: string = 'TokenKeySourceUnavailableError';

  constructor(
    readonly endpoint: string,
    options?: { cause?: unknown },
  ) {
    super(
      `The JWKS at ${endpoint} could not be read to verify meta_data.token; the message will be retried: check that the endpoint is up`,
      options,
    );
  }
}
