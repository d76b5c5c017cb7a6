import { Injectable } from '@nestjs/common';
import { EventEmitter } from 'node:events';

export interface RecordedPayment {
  reference: string;
  currency: string;
  value: string;
  status: string;
}

/** Where the sample keeps what it processed; a real service would use its database. */
@Injectable()
export class PaymentLedger extends EventEmitter {
  private readonly payments = new Map<string, RecordedPayment>();

  record(payment: RecordedPayment): boolean {
    if (this.payments.has(payment.reference)) return false;
    this.payments.set(payment.reference, payment);
    return true;
  }

  markNotified(reference: string, status: string): void {
    this.emit('notified', reference, status);
  }

  get(reference: string): RecordedPayment | undefined {
    return this.payments.get(reference);
  }
}
