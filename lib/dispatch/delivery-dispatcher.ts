import { ForbiddenException, Logger } from '@nestjs/common';
import { boundFailureText } from '../errors/bounded-failure-text';
import { MessageBusError } from '../errors/message-bus.error';
import { MessageValidationError } from '../errors/message-validation.error';
import { UnknownMessageTypeError } from '../errors/unknown-message-type.error';
import type { HandlerIdempotency } from '../idempotency/idempotency-options.interface';
import type { IdempotencyPolicy } from '../idempotency/idempotency-policy';
import { idempotencyApplies, runIdempotently } from '../idempotency/idempotent-handler.runner';
import { MessageBusMessage, type MessageParseOptions } from '../message/message-bus-message';
import type { MessageTypeRegistry } from '../message/message-type-registry';
import { runTokenStage } from '../trust/token-stage';
import type { TokenVerifier } from '../trust/token-verifier';
import type { VerifiedToken } from '../trust/verified-token';
import type { DispatchOutcome } from './delivery-outcome';
import type { InboundDelivery } from './inbound-delivery.interface';
import { MessageBusContext } from './message-bus.context';
import { isThenable } from './thenable';
import { DeadLetter } from './signals/dead-letter.signal';
import { RetryLater } from './signals/retry-later.signal';
import { DEFAULT_UNHANDLED_POLICY, type UnhandledPolicy } from './unhandled-policy';

/** A handler as the dispatcher sees it: a name for logs and a call. */
export interface DispatchTarget {
  readonly name: string;
  /** The result, or a promise of it; a failure is a throw or a rejection. */
  readonly invoke: (payload: object, context: MessageBusContext) => unknown;
  /**
   * `invoke` for a handler that reads nothing but its payload: called instead, so that no
   * `MessageBusContext` is built for a delivery whose handlers are all of this kind.
   */
  readonly invokeWithPayload?: (payload: object) => unknown;
  /** The handler wants the message's service token verified before it runs. */
  readonly verifyToken?: boolean;
  /** The handler's own idempotency setting; unset follows the consumer's. */
  readonly idempotency?: HandlerIdempotency;
}

/** Finds the handlers one message reaches; empty when none listens. */
export type DispatchTargetLookup = (
  message: MessageBusMessage,
  source: string,
) => readonly DispatchTarget[];

/**
 * The pipeline's first stages, the same for every transport and for both ways of running
 * handlers (the module's own handlers, or a microservice's patterns): bytes → parse →
 * validate → find handlers → invoke them through Nest's context → outcome. It never throws
 * and logs nothing: whatever happens comes back as an outcome, which the settlement policy
 * (settlement-policy.ts) turns into one decision and the transport into one log line.
 */
export class DeliveryDispatcher {
  private readonly logger = new Logger(DeliveryDispatcher.name);
  /** Types already logged as unhandled, so that each is logged once. */
  private readonly unhandledSeen = new Set<string>();
  /** One options object for every parse, not one per delivery. */
  private readonly parseOptions: MessageParseOptions;

  constructor(
    private readonly lookup: DispatchTargetLookup,
    messageTypes: MessageTypeRegistry,
    /** Set when the module has `tokenVerification`; `verifyAll` is the module's `verifyToken`. */
    private readonly tokens?: { readonly verifier: TokenVerifier; readonly verifyAll: boolean },
  ) {
    this.parseOptions = { registry: messageTypes };
  }

  /** `verifyToken`: the consumer's setting; unset means the module's. */
  async dispatch(
    delivery: InboundDelivery,
    unhandled: UnhandledPolicy = DEFAULT_UNHANDLED_POLICY,
    verifyToken?: boolean,
    idempotency?: IdempotencyPolicy,
  ): Promise<DispatchOutcome> {
    return this.dispatchNow(delivery, unhandled, verifyToken, idempotency);
  }

  /**
   * `dispatch`, the outcome coming back as it is when every stage answered at once (parsing, no
   * token stage, no idempotency, handlers that return no thenable): a consumer then awaits
   * nothing per message. Otherwise a promise of it, as from `dispatch`. Never throws.
   */
  dispatchNow(
    delivery: InboundDelivery,
    unhandled: UnhandledPolicy = DEFAULT_UNHANDLED_POLICY,
    verifyToken?: boolean,
    idempotency?: IdempotencyPolicy,
  ): DispatchOutcome | Promise<DispatchOutcome> {
    let message: MessageBusMessage;
    try {
      message = MessageBusMessage.fromJSON(delivery.body, this.parseOptions);
    } catch (error) {
      const reason = error instanceof UnknownMessageTypeError ? 'unknown-type' : 'invalid-message';
      // Validation errors bound themselves; anything else (a parser's message may quote the input) is cut here.
      const known =
        error instanceof MessageValidationError
          ? error
          : new MessageBusError(boundFailureText(String(error)), { cause: error });
      return { status: 'rejected', reason, error: known };
    }

    const targets = this.lookup(message, delivery.source);
    if ((verifyToken ?? this.tokens?.verifyAll) === true || anyVerifiesToken(targets))
      return this.afterTokenStage(message, delivery, targets, unhandled, idempotency);
    if (targets.length === 0) return this.unhandled(message, delivery.source, unhandled);
    return this.invokeTargets(message, delivery, targets, undefined, idempotency);
  }

  private async afterTokenStage(
    message: MessageBusMessage,
    delivery: InboundDelivery,
    targets: readonly DispatchTarget[],
    unhandled: UnhandledPolicy,
    idempotency: IdempotencyPolicy | undefined,
  ): Promise<DispatchOutcome> {
    const stage = await runTokenStage(this.tokens?.verifier, message);
    if (!stage.passed) return stage.outcome;
    if (targets.length === 0) return this.unhandled(message, delivery.source, unhandled);
    return this.invokeTargets(message, delivery, targets, stage.token, idempotency);
  }

  /**
   * Every handler of an event gets its turn even when an earlier one fails; a retry then calls
   * them all again, so event handlers must be idempotent (at-least-once delivery). Handlers are
   * called here while each answers at once; from the first that returns a thenable (or runs
   * idempotently) on, the rest of the turn is `invokeRemaining`'s.
   */
  private invokeTargets(
    message: MessageBusMessage,
    delivery: InboundDelivery,
    targets: readonly DispatchTarget[],
    token: VerifiedToken | undefined,
    idempotency: IdempotencyPolicy | undefined,
  ): DispatchOutcome | Promise<DispatchOutcome> {
    // Built for the first handler that reads it: none is, when every one takes only its payload.
    let context: MessageBusContext | undefined;
    let tally: HandlerTally | undefined;
    for (let index = 0; index < targets.length; index++) {
      const target = targets[index];
      if (idempotencyApplies(idempotency, target)) {
        context ??= new MessageBusContext(message, delivery, token);
        return this.invokeRemaining(
          message,
          context,
          targets,
          index,
          undefined,
          idempotency,
          tally,
        );
      }
      try {
        // A handler that answers at once costs no microtask: only a thenable is awaited.
        let result: unknown;
        if (target.invokeWithPayload !== undefined) {
          result = target.invokeWithPayload(message.payload);
        } else {
          context ??= new MessageBusContext(message, delivery, token);
          result = target.invoke(message.payload, context);
        }
        if (isThenable(result)) {
          context ??= new MessageBusContext(message, delivery, token);
          return this.invokeRemaining(message, context, targets, index, result, idempotency, tally);
        }
      } catch (error) {
        tally ??= new HandlerTally();
        const refusal = tally.caught(target, error, message);
        if (refusal !== undefined) return refusal;
      }
    }
    return tallied(message, targets.length, tally);
  }

  /** `invokeTargets` from `targets[from]` on, awaiting `pending` (that handler's result) first when given. */
  private async invokeRemaining(
    message: MessageBusMessage,
    context: MessageBusContext,
    targets: readonly DispatchTarget[],
    from: number,
    pending: PromiseLike<unknown> | undefined,
    idempotency: IdempotencyPolicy | undefined,
    tally = new HandlerTally(),
  ): Promise<DispatchOutcome> {
    for (let index = from; index < targets.length; index++) {
      const target = targets[index];
      try {
        if (index === from && pending !== undefined) {
          await pending;
        } else if (idempotencyApplies(idempotency, target)) {
          const run = await runIdempotently(idempotency, target, message, () =>
            target.invoke(message.payload, context),
          );
          if (run === 'duplicate') tally.duplicates += 1;
        } else {
          const result = target.invoke(message.payload, context);
          if (isThenable(result)) await result;
        }
      } catch (error) {
        const refusal = tally.caught(target, error, message);
        if (refusal !== undefined) return refusal;
      }
    }
    return tallied(message, targets.length, tally);
  }

  private unhandled(
    message: MessageBusMessage,
    source: string,
    policy: UnhandledPolicy,
  ): DispatchOutcome {
    const decorator = message.kind === 'instruction' ? 'OnInstruction' : 'OnEvent';
    if (policy[message.kind] === 'acknowledge') {
      const key = `${message.kind}|${message.type}|${source}`;
      if (!this.unhandledSeen.has(key)) {
        this.unhandledSeen.add(key);
        this.logger.debug(
          `No handler listens to ${message.kind} ${message.type} on ${source}: acknowledging such messages (unhandled: 'acknowledge'); this is logged once per type`,
        );
      }
      return { status: 'ignored', reason: 'no-handler', message };
    }
    const error = new MessageBusError(
      `No handler listens to ${message.kind} ${message.type} on ${source}: ` +
        `add @${decorator}(${JSON.stringify(message.type)}) to a method, or set unhandled: 'acknowledge' on the consumer`,
    );
    return { status: 'rejected', reason: 'no-handler', error, message };
  }
}

/** What the handlers of one delivery came to so far; none is needed while every one succeeds. */
class HandlerTally {
  failure: unknown;
  retryAfterMs: number | undefined;
  duplicates = 0;

  /** Takes a handler's failure in; returns the refusal that ends the delivery at once, if it is one. */
  caught(
    target: DispatchTarget,
    error: unknown,
    message: MessageBusMessage,
  ): DispatchOutcome | undefined {
    if (error instanceof ForbiddenException) {
      return { status: 'rejected', reason: 'forbidden', error: refusedBy(target, error), message };
    }
    if (error instanceof DeadLetter) {
      return { status: 'rejected', reason: 'dead-letter-requested', error, message };
    }
    if (error instanceof RetryLater)
      this.retryAfterMs = Math.max(this.retryAfterMs ?? 0, error.delayMs);
    this.failure ??= error;
    return undefined;
  }
}

/** The outcome once every one of `handlers` has had its turn. */
function tallied(
  message: MessageBusMessage,
  handlers: number,
  tally: HandlerTally | undefined,
): DispatchOutcome {
  if (tally === undefined) return { status: 'handled', message, handlers };
  const { failure, retryAfterMs, duplicates } = tally;
  if (failure === undefined && duplicates === handlers)
    return { status: 'duplicate', message, handlers };
  if (failure === undefined) return { status: 'handled', message, handlers };
  return retryAfterMs === undefined
    ? { status: 'failed', message, error: failure }
    : { status: 'failed', message, error: failure, retryAfterMs };
}

/** `targets.some((t) => t.verifyToken)` without a closure per message. */
function anyVerifiesToken(targets: readonly DispatchTarget[]): boolean {
  for (let i = 0; i < targets.length; i++) if (targets[i].verifyToken) return true;
  return false;
}

/** The guard's refusal, named after the handler it protects. */
function refusedBy(target: DispatchTarget, error: ForbiddenException): Error {
  return new MessageBusError(
    boundFailureText(`a guard of ${target.name} refused it (${error.message})`),
    { cause: error },
  );
}
