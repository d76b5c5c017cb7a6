import { IsOptional, ValidateBy, ValidateIf, type ValidationArguments } from 'class-validator';
import { IsNonBlankString } from '../../validation/is-non-blank-string.decorator';
import { IsWireString } from '../../validation/is-wire-string.decorator';

/** The Python client's test: lower-cased, not trimmed, so `" completed"` does not trigger it. */
const isCompleted = (status: unknown): boolean =>
  typeof status === 'string' && status.toLowerCase() === 'completed';

/** The Python client's test for a missing result: absent, `null` or `""` (`" "` is a result). */
const isPresentResult = (value: unknown): boolean => typeof value === 'string' && value !== '';

/**
 * Payload of a KYC_EVENT: a completed review (any letter case) must carry its result, as the
 * Python client requires (the Rust client also takes `review_result: ""`, which is refused here
 * because Python refuses it). `review_status` and `review_result` are otherwise optional strings,
 * blank allowed.
 */
export class KycEventPayload {
  @IsNonBlankString()
  title!: string;

  @IsNonBlankString()
  identifier!: string;

  @IsOptional()
  @IsWireString()
  review_status?: string;

  @ValidateIf(
    (o: KycEventPayload) =>
      isCompleted(o.review_status) || (o.review_result !== undefined && o.review_result !== null),
  )
  @ValidateBy({
    name: 'isKycReviewResult',
    validator: {
      validate: (value: unknown, args?: ValidationArguments) =>
        isCompleted((args?.object as KycEventPayload | undefined)?.review_status)
          ? isPresentResult(value)
          : typeof value === 'string',
      // It fails only for a non-string, or for a missing or empty result of a completed review.
      defaultMessage: ({ value }: ValidationArguments) =>
        typeof value === 'string' || value === undefined || value === null
          ? 'review_result is required when review_status is "completed"'
          : 'review_result must be a string',
    },
  })
  review_result?: string;
}
