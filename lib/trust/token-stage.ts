import type { DispatchOutcome } from '../dispatch/delivery-outcome';
import { TokenVerificationError } from '../errors/token-verification.error';
import type { MessageBusMessage } from '../message/message-bus-message';
import type { ResolvedMessageBusOptions } from '../options/resolved-options';
import { TokenVerifier } from './token-verifier';
import type { VerifiedToken } from './verified-token';

/** What the token stage lets through (the verified token) or the outcome it ends the delivery with. */
export type TokenStageResult =
  | { readonly passed: true; readonly token: VerifiedToken }
  | { readonly passed: false; readonly outcome: DispatchOutcome };

/**
 * The pipeline's token stage, run once per message after validation and before any handler
 * when the consumer or one of the message's handlers asks for it: a refused token ends the
 * delivery as `rejected` / `unauthenticated` (dead-lettered at once), an unreadable key source
 * as `failed` (retried with backoff).
 */
export async function runTokenStage(
  verifier: TokenVerifier | undefined,
  message: MessageBusMessage,
): Promise<TokenStageResult> {
  if (verifier === undefined) {
    const error = new TokenVerificationError(
      'not-configured',
      'verifyToken is on but the module has no tokenVerification option',
    );
    return {
      passed: false,
      outcome: { status: 'rejected', reason: 'unauthenticated', error, message },
    };
  }
  try {
    const result = await verifier.verify(message.meta_data.token, message.meta_data.source);
    if (result.verdict === 'verified') return { passed: true, token: result.token };
    if (result.verdict === 'refused') {
      return {
        passed: false,
        outcome: { status: 'rejected', reason: 'unauthenticated', error: result.error, message },
      };
    }
    return { passed: false, outcome: { status: 'failed', message, error: result.error } };
  } catch (error) {
    return { passed: false, outcome: { status: 'failed', message, error } };
  }
}

/** The dispatcher's token settings from the module's options: none without `tokenVerification`. */
export function tokenStageOf(
  options: Pick<ResolvedMessageBusOptions, 'tokenVerification' | 'verifyToken'>,
): { verifier: TokenVerifier; verifyAll: boolean } | undefined {
  return options.tokenVerification === undefined
    ? undefined
    : { verifier: new TokenVerifier(options.tokenVerification), verifyAll: options.verifyToken };
}
