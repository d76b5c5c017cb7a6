import type { TokenCheck } from '../trust/token-check';
import { MessageBusError } from './message-bus.error';

/**
 * A message's `meta_data.token` failed verification: the message is dead-lettered at once with
 * reason `unauthenticated`. The text names the check, never the token.
 */
export class TokenVerificationError extends MessageBusError {
  override readonly name: string = 'TokenVerificationError';

  constructor(
    readonly check: TokenCheck,
    detail: string,
  ) {
    super(`meta_data.token failed verification: ${check} (${detail})`);
  }
}
