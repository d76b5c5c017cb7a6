import { ClassFieldMarks } from './class-field-marks';

const REQUIRED_ON_WRITE = new ClassFieldMarks<string>();

/**
 * A field the reader takes as optional (one peer never sends it) but `MessageBusMessage.create`
 * requires, because the other peer refuses a message without it: a strict writer. `reason`
 * ends the error sentence, e.g. `the Rust client refuses UPDATE_PROFILE without it`. Not a
 * class-validator rule: reading is unchanged, and so are the DTO's compiled rules.
 */
export function RequiredOnWrite(reason: string): PropertyDecorator {
  return (target: object, propertyName: string | symbol) => {
    REQUIRED_ON_WRITE.mark(target, propertyName as string, reason);
  };
}

/** The fields of `payload` (its class or one it extends) marked `@RequiredOnWrite`, with their reasons. */
export function requiredOnWriteFieldsOf(payload: object): ReadonlyMap<string, string> {
  return REQUIRED_ON_WRITE.of(payload);
}
