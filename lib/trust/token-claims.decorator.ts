import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { MessageBusContext } from '../dispatch/message-bus.context';

/**
 * The verified service token's claims (`sub`, `iss`, `aud`, ...), or one claim with
 * `@TokenClaims('sub')`; `undefined` when the message's token was not verified.
 */
export const TokenClaims = createParamDecorator(
  (claim: string | undefined, context: ExecutionContext) => {
    const claims = context.switchToRpc().getContext<MessageBusContext>().getVerifiedToken()?.claims;
    return claim === undefined || claims === undefined ? claims : claims[claim];
  },
);
