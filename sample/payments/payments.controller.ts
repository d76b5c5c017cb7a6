import { Controller, Logger } from '@nestjs/common';
import { Ctx, Payload } from '@nestjs/microservices';
import {
  EventType,
  InstructionType,
  MessageBusContext,
  MessageBusMessage,
  MessageBusPublisher,
  OnInstruction,
  PaymentPayload,
} from 'nestjs-message-bus';
import { TRANSACTION_STATUS } from '../bus-options.factory';
import { PaymentLedger } from './payment-ledger.service';

@Controller()
export class PaymentsController {
  private readonly logger = new Logger(PaymentsController.name);

  constructor(
    private readonly ledger: PaymentLedger,
    private readonly publisher: MessageBusPublisher,
  ) {}

  @OnInstruction(InstructionType.PAYMENT)
  async onPayment(
    @Payload() payment: PaymentPayload,
    @Ctx() context: MessageBusContext,
  ): Promise<void> {
    const isNew = this.ledger.record({ ...payment, status: 'RECORDED' });
    this.logger.log(
      `PAYMENT ${payment.reference} ${payment.value} ${payment.currency} ${isNew ? 'recorded' : 'already recorded'} (attempt ${context.getAttempt()})`,
    );
    const statusUpdate = MessageBusMessage.create({
      source: 'SAMPLE_PAYMENTS_SERVICE',
      event: EventType.TRANSACTION_STATUS_UPDATE,
      payload: { reference: payment.reference, status: 'RECORDED' },
      serviceToken: context.getMetaData().token,
      // Derived from the instruction's key, so a redelivered PAYMENT publishes the same event.
      idempotencyKey: `${context.getMetaData().idempotency_key}:status`,
    });
    await this.publisher.publish(statusUpdate, TRANSACTION_STATUS);
  }
}
