import { IsOptional, ValidateIf } from 'class-validator';
import { IsNonBlankString } from '../../validation/is-non-blank-string.decorator';

const isCompleted = (status: unknown): boolean =>
  typeof status === 'string' && status.toLowerCase() === 'completed';

/** Payload of a KYC_EVENT: a completed review (any letter case) must carry its result. */
export class KycEventPayload {
  @IsNonBlankString()
  title!: string;

  @IsNonBlankString()
  identifier!: string;

  @IsOptional()
  @IsNonBlankString()
  review_status?: string;

  @ValidateIf(
    (o: KycEventPayload) =>
      isCompleted(o.review_status) || (o.review_result !== undefined && o.review_result !== null),
  )
  @IsNonBlankString({
    message: ({ value }) =>
      value === undefined || value === null
        ? 'review_result is required when review_status is "completed"'
        : 'review_result must be a non-blank string',
  })
  review_result?: string;
}
