import { Type } from 'class-transformer';
import { IsObject, ValidateNested } from 'class-validator';
import { MetaData } from '../../lib/message/meta-data';
import { PaymentPayload } from '../../lib/message/payloads/instructions/payment.payload';

/**
 * A PAYMENT envelope as a `ServerKafka` user validates it with Nest's `ValidationPipe`: the
 * library's own class-validator classes for `meta_data` and `payload`, nested.
 */
export class PaymentEnvelopeDto {
  @IsObject()
  @ValidateNested()
  @Type(() => MetaData)
  meta_data!: MetaData;

  @IsObject()
  @ValidateNested()
  @Type(() => PaymentPayload)
  payload!: PaymentPayload;
}
