import { Injectable } from '@nestjs/common';
import { Ctx, Payload } from '@nestjs/microservices';
import {
  InstructionType,
  MessageBusContext,
  OnInstruction,
  PaymentPayload,
  TokenClaims,
} from 'nestjs-message-bus';
import type { JWTPayload } from 'jose' with { 'resolution-mode': 'import' };

/** One call of the verified handler: which message, which attempt, and the claims it was given. */
export interface VerifiedCall {
  readonly reference: string;
  readonly attempt: number;
  readonly claims?: JWTPayload;
  readonly subject?: unknown;
  readonly contextSubject?: unknown;
}

/** Every call of `TokenPaymentHandler`, in order, across the apps of a suite. */
export const VERIFIED_CALLS: VerifiedCall[] = [];

/** The PAYMENT handler of the token suites: it runs only for messages whose token verified. */
@Injectable()
export class TokenPaymentHandler {
  @OnInstruction(InstructionType.PAYMENT, { verifyToken: true })
  pay(
    @Payload() payment: PaymentPayload,
    @Ctx() context: MessageBusContext,
    @TokenClaims() claims: JWTPayload | undefined,
    @TokenClaims('sub') subject: unknown,
  ): void {
    VERIFIED_CALLS.push({
      reference: payment.reference,
      attempt: context.getAttempt(),
      claims,
      subject,
      contextSubject: context.getVerifiedToken()?.claims.sub,
    });
  }
}
