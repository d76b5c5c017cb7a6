import { Controller, Logger } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { EventType, OnEvent, TransactionStatusEventPayload } from 'nestjs-message-bus';
import { PaymentLedger } from '../payments/payment-ledger.service';

@Controller()
export class StatusNotifierController {
  private readonly logger = new Logger(StatusNotifierController.name);

  constructor(private readonly ledger: PaymentLedger) {}

  @OnEvent(EventType.TRANSACTION_STATUS_UPDATE)
  onStatus(@Payload() event: TransactionStatusEventPayload): void {
    this.logger.log(`TRANSACTION_STATUS_UPDATE ${event.reference} is now ${event.status}`);
    this.ledger.markNotified(event.reference, event.status);
  }
}
