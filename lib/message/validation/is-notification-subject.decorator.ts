import type { ValidationArguments, ValidationOptions } from 'class-validator';
import { notificationSubjectProblem } from '../notification-subject';
import { registerFieldCheck } from './field-check';

const isNotificationSubject = (value: unknown): boolean =>
  notificationSubjectProblem(value) === undefined;

/**
 * A required `NotificationSubject`: an object tagged by a lower-case `type` (`relay`,
 * `transaction`, `profile`) with that tag's string members, blank allowed. Other members are
 * ignored, as by the Rust client.
 */
export function IsNotificationSubject(options?: ValidationOptions): PropertyDecorator {
  return (target: object, propertyName: string | symbol) => {
    registerFieldCheck(target, propertyName, {
      name: 'isNotificationSubject',
      options,
      check: isNotificationSubject,
      defaultMessage: ({ property, value }: ValidationArguments) =>
        `${property} ${notificationSubjectProblem(value) ?? 'must be a notification subject'}`,
    });
  };
}
