import {
  Controller,
  Inject,
  Injectable,
  UseGuards,
  type CanActivate,
  type ExecutionContext,
} from '@nestjs/common';
import {
  EventType,
  InstructionType,
  MessageBusContext,
  OnEvent,
  OnInstruction,
  type PaymentPayload,
  type TransactionStatusEventPayload,
} from 'nestjs-message-bus';

/** Where a scenario's handler lives: an `@Injectable()` provider or a `@Controller()`. */
export type HandlerHost = 'provider' | 'controller';

/** What a scenario's handler does on one attempt: return to succeed, throw to fail. */
export type ScenarioBehaviour = (attempt: number) => void | Promise<void>;

/** A reference ending in this is refused by `RefuseMarkedGuard`. */
export const REFUSE_MARK = '/refuse';

/** One handler call: which message (its tag), on which host, which attempt, when. */
export interface HandlerCall {
  readonly tag: string;
  readonly host: HandlerHost;
  readonly attempt: number;
  /** `performance.now()` when the handler was entered. */
  readonly at: number;
  /** Set once the handler returned or threw. */
  finishedAt?: number;
}

/**
 * Records every handler call of one harness and runs the behaviour the scenario table gives
 * the message's tag (its `reference` up to `REFUSE_MARK`). A tag without a behaviour succeeds.
 */
export class ScenarioLedger {
  readonly calls: HandlerCall[] = [];
  private readonly behaviours = new Map<string, ScenarioBehaviour>();

  define(tag: string, behaviour: ScenarioBehaviour): void {
    this.behaviours.set(tag, behaviour);
  }

  callsOf(tag: string): HandlerCall[] {
    return this.calls.filter((call) => call.tag === tag);
  }

  async run(host: HandlerHost, reference: string, context: MessageBusContext): Promise<void> {
    const tag = reference.endsWith(REFUSE_MARK)
      ? reference.slice(0, -REFUSE_MARK.length)
      : reference;
    const call: HandlerCall = { tag, host, attempt: context.getAttempt(), at: performance.now() };
    this.calls.push(call);
    try {
      await this.behaviours.get(tag)?.(call.attempt);
    } finally {
      call.finishedAt = performance.now();
    }
  }
}

export const SCENARIO_LEDGER = Symbol('ScenarioLedger');

/** Refuses every message whose payload `reference` ends with `REFUSE_MARK`. */
@Injectable()
export class RefuseMarkedGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    const payload = context.switchToRpc().getData<{ reference?: unknown }>();
    return !(typeof payload.reference === 'string' && payload.reference.endsWith(REFUSE_MARK));
  }
}

/** The provider-hosted handler: PAYMENT instructions. */
@Injectable()
export class ScenarioPaymentHandler {
  constructor(@Inject(SCENARIO_LEDGER) private readonly ledger: ScenarioLedger) {}

  @OnInstruction(InstructionType.PAYMENT)
  @UseGuards(RefuseMarkedGuard)
  async onPayment(payment: PaymentPayload, context: MessageBusContext): Promise<void> {
    await this.ledger.run('provider', payment.reference, context);
  }
}

/** The controller-hosted handler: TRANSACTION_STATUS_UPDATE events. */
@Controller()
export class ScenarioStatusController {
  constructor(@Inject(SCENARIO_LEDGER) private readonly ledger: ScenarioLedger) {}

  @OnEvent(EventType.TRANSACTION_STATUS_UPDATE)
  @UseGuards(RefuseMarkedGuard)
  async onStatus(status: TransactionStatusEventPayload, context: MessageBusContext): Promise<void> {
    await this.ledger.run('controller', status.reference, context);
  }
}
