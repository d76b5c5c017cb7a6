import { Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { MessageBusModule } from 'nestjs-message-bus';
import { BusOptionsFactory } from './bus-options.factory';
import { StatusNotifierController } from './notifications/status-notifier.controller';
import { PaymentLedger } from './payments/payment-ledger.service';
import { PaymentsController } from './payments/payments.controller';

@Module({
  imports: [
    ConfigModule.forRoot({ envFilePath: ['sample/.env'] }),
    MessageBusModule.forRootAsync({ imports: [ConfigModule], useClass: BusOptionsFactory }),
  ],
  controllers: [PaymentsController, StatusNotifierController],
  providers: [PaymentLedger],
})
export class AppModule {}
