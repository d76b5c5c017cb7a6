import {
  registerDecorator,
  type ValidationArguments,
  type ValidationOptions,
} from 'class-validator';
import { notificationSubjectProblem } from '../notification-subject';

/**
 * A required `NotificationSubject`: an object tagged by a lower-case `type` (`relay`,
 * `transaction`, `profile`) with that tag's string members, blank allowed. Other members are
 * ignored, as by the Rust client.
 */
export function IsNotificationSubject(options?: ValidationOptions): PropertyDecorator {
  return (target: object, propertyName: string | symbol) => {
    registerDecorator({
      name: 'isNotificationSubject',
      target: target.constructor,
      propertyName: propertyName as string,
      options,
      validator: {
        validate: (value: unknown) => notificationSubjectProblem(value) === undefined,
        defaultMessage: ({ property, value }: ValidationArguments) =>
          `${property} ${notificationSubjectProblem(value) ?? 'must be a notification subject'}`,
      },
    });
  };
}
