import {
  IsOptional,
  registerDecorator,
  ValidateIf,
  type ValidationArguments,
  type ValidationOptions,
} from 'class-validator';
import { describe, expect, it, vi } from 'vitest';
import type { MessageFieldIssue } from '../../../lib/errors/message-validation.error';
import {
  BUILT_IN_EVENT_PAYLOADS,
  BUILT_IN_INSTRUCTION_PAYLOADS,
} from '../../../lib/message/built-in-message-types';
import { MetaData } from '../../../lib/message/meta-data';
import { CustomerNotificationPayload } from '../../../lib/message/payloads/events/customer-notification.payload';
import { KycEventPayload } from '../../../lib/message/payloads/events/kyc-event.payload';
import { PlatformNotificationPayload } from '../../../lib/message/payloads/events/platform-notification.payload';
import { RelayInitiatedEventPayload } from '../../../lib/message/payloads/events/relay-event.payload';
import { PaymentPayload } from '../../../lib/message/payloads/instructions/payment.payload';
import { TransactionPayload } from '../../../lib/message/payloads/instructions/transaction.payload';
import { CompiledDtoRules } from '../../../lib/message/validation/compiled-dto-rules';
import { DtoValidator } from '../../../lib/message/validation/dto-validator';
import { generateValidate } from '../../../lib/message/validation/generated-dto-validate';
import { IsNonBlankString } from '../../../lib/message/validation/is-non-blank-string.decorator';
import { classValidatorReading } from './reference-from-json';

// Subclasses are not registered for the direct path, so they run plainToInstance + validateSync:
// the reference the direct path must match exactly.
class GeneralPayment extends PaymentPayload {}
class GeneralTransaction extends TransactionPayload {}
class GeneralKyc extends KycEventPayload {}
class GeneralRelay extends RelayInitiatedEventPayload {}
class GeneralCustomerNotification extends CustomerNotificationPayload {}
class GeneralPlatformNotification extends PlatformNotificationPayload {}
class GeneralMetaData extends MetaData {}

type Validate = (value: never, prefix: string, issues: MessageFieldIssue[]) => object | undefined;

/** The outcome of one validation, own keys in order and class included. */
function outcome(validate: Validate, input: Record<string, unknown>) {
  const issues: MessageFieldIssue[] = [];
  const instance = validate(input as never, 'payload', issues);
  return {
    issues,
    fields: instance ? ({ ...instance } as Record<string, unknown>) : undefined,
    keys: instance ? Object.keys(instance) : undefined,
    className: instance?.constructor.name,
  };
}

/** Through DtoValidator: generated code for registered DTOs, else the general path. */
function run<T extends object>(cls: new () => T, input: Record<string, unknown>) {
  const validator = DtoValidator.for(cls);
  return outcome((value, prefix, issues) => validator.validate(value, prefix, issues), input);
}

/** The compiled rules' closures, which run where code generation is disallowed. */
function runClosures<T extends object>(cls: new () => T, input: Record<string, unknown>) {
  const rules = CompiledDtoRules.compile(cls);
  if (!rules) throw new Error(`${cls.name} does not compile`);
  return outcome((value, prefix, issues) => rules.validate(value, prefix, issues), input);
}

describe('DtoValidator', () => {
  it('runs the library DTOs on the direct path and other classes on the general one', () => {
    for (const cls of [
      MetaData,
      ...Object.values(BUILT_IN_INSTRUCTION_PAYLOADS),
      ...Object.values(BUILT_IN_EVENT_PAYLOADS),
    ]) {
      expect(DtoValidator.for(cls).isCompiled, cls.name).toBe(true);
      expect(DtoValidator.for(cls).isGenerated, cls.name).toBe(true);
    }
    expect(DtoValidator.for(GeneralPayment).isCompiled).toBe(false);
  });

  it.each<[string, new () => object, new () => object, Record<string, unknown>]>([
    [
      'a valid payment',
      PaymentPayload,
      GeneralPayment,
      {
        external_reference: 'E',
        currency: 'EUR',
        value: '1',
        source: 'B',
        reference: 'R',
        direction: 'INBOUND',
        extra: 1,
      },
    ],
    [
      'a payment with every rule broken',
      PaymentPayload,
      GeneralPayment,
      {
        external_reference: ' ',
        currency: 5,
        value: null,
        reference: '',
        direction: 'SIDEWAYS',
        payer_name: '',
      },
    ],
    [
      'a deposit without payer',
      TransactionPayload,
      GeneralTransaction,
      { transaction_type: 'DEPOSIT', payee: '  ' },
    ],
    [
      'a withdraw with payee',
      TransactionPayload,
      GeneralTransaction,
      {
        external_reference: 'E',
        source: 'S',
        reference: 'R',
        first_name: 'F',
        last_name: 'L',
        transaction_type: 'WITHDRAW',
        status: 'S',
        incoming_currency: 'EUR',
        outgoing_currency: 'USD',
        value: '1',
        fee: '0',
        payee: 'P',
      },
    ],
    [
      'a completed KYC without result',
      KycEventPayload,
      GeneralKyc,
      { title: 'T', identifier: 'I', review_status: 'CoMpLeTeD' },
    ],
    [
      'a relay record with a number',
      RelayInitiatedEventPayload,
      GeneralRelay,
      { email: 'e', payload: { a: 'b', n: 1 } },
    ],
    [
      'a relay record',
      RelayInitiatedEventPayload,
      GeneralRelay,
      { email: 'e', payload: { a: 'b' } },
    ],
    // The Rust client's shapes: a tagged subject, any-JSON data (null kept), a two-shape relay.
    [
      'a relay in the Rust shape',
      RelayInitiatedEventPayload,
      GeneralRelay,
      {
        subject: { type: 'relay', id: 'i', source_chain: 'a', destination_chain: 'b' },
        data: null,
      },
    ],
    ['a relay in neither shape', RelayInitiatedEventPayload, GeneralRelay, {}],
    // `dialect` is not a wire field: input cannot set it.
    [
      'a relay claiming a dialect',
      RelayInitiatedEventPayload,
      GeneralRelay,
      { email: 'e', payload: {}, dialect: 'rust' },
    ],
    [
      'a relay with members of both shapes',
      RelayInitiatedEventPayload,
      GeneralRelay,
      { email: ' ', payload: {}, subject: { type: 'wallet' } },
    ],
    [
      'a customer notification',
      CustomerNotificationPayload,
      GeneralCustomerNotification,
      { subject: { type: 'profile', user_id: '' }, data: { a: [null, 1] } },
    ],
    [
      'a customer notification with a bad subject and no data',
      CustomerNotificationPayload,
      GeneralCustomerNotification,
      { subject: { type: 'relay', id: 'i' } },
    ],
    [
      'a platform notification',
      PlatformNotificationPayload,
      GeneralPlatformNotification,
      { severity: 'warning', data: 0, subject: 'relay:r1' },
    ],
    [
      'a platform notification with a wrong severity and a numeric subject',
      PlatformNotificationPayload,
      GeneralPlatformNotification,
      { severity: 'WARNING', data: null, subject: 1 },
    ],
    [
      'meta data with both types',
      MetaData,
      GeneralMetaData,
      {
        source: 'S',
        created_at: 'c',
        token: 't',
        idempotency_key: 'k',
        instruction_type: 'PAYMENT',
        event: 'NEW_PROFILE',
      },
    ],
    [
      'meta data with neither type',
      MetaData,
      GeneralMetaData,
      { source: '', created_at: 'c', token: 't', idempotency_key: 'k', ip_address: ' ' },
    ],
  ])('matches class-validator exactly on %s', (_case, direct, general, input) => {
    const reference = run(general, input);
    const expected = { ...reference, className: reference.className && direct.name };
    expect(run(direct, input)).toEqual(expected);
    expect(runClosures(direct, input)).toEqual(expected);
  });

  it('copies objects it keeps, so input cannot reach a prototype', () => {
    const input = JSON.parse(
      '{"email": "e", "payload": {"a": "b", "__proto__": {"polluted": "yes"}}}',
    ) as Record<string, unknown>;
    const { fields } = run(RelayInitiatedEventPayload, input);
    expect(fields?.payload).toEqual({ a: 'b' });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(fields?.payload).not.toBe(input.payload);
  });
});

/** What a constraint was called with, copied at the time of the call. */
type RecordedCall = Omit<ValidationArguments, 'object'> & { object: Record<string, unknown> };
const recorded: RecordedCall[] = [];

/** Records every call; `$…` tokens in the default message check their replacement. */
function Recorded(options?: ValidationOptions): PropertyDecorator {
  return (target: object, propertyName: string | symbol) => {
    registerDecorator({
      name: 'recorded',
      target: target.constructor,
      propertyName: propertyName as string,
      constraints: ['first-constraint', 2],
      options,
      validator: {
        validate: (value: unknown, args: ValidationArguments) => {
          recorded.push({ ...args, object: { ...args.object } });
          return value !== 'bad' && (value === undefined || typeof value === 'string');
        },
        defaultMessage: () => '$property of $target is $value, not $constraint1 or $constraint2',
      },
    });
  };
}

// Conditions in both orders (decorators register bottom-up): IsOptional first on `second`,
// ValidateIf first on `third`.
class Probe {
  @Recorded()
  first?: unknown;

  @ValidateIf((probe: Probe) => probe.first !== 'skip')
  @IsOptional()
  @IsNonBlankString()
  second?: unknown;

  @IsOptional()
  @ValidateIf((probe: Probe) => probe.first !== 'skip')
  @Recorded({
    message: ({ value, object }) =>
      `third got ${String(value)} beside ${String((object as Probe).first)}`,
  })
  third?: unknown;
}
DtoValidator.compile(Probe);

/** Two checks on one property: the second runs only when the first passes (stopAtFirstError). */
class TwoChecks {
  @Recorded()
  @IsNonBlankString()
  both?: unknown;
}
DtoValidator.compile(TwoChecks);

/** Property names that must survive being written into generated code. */
class OddNames {
  @IsNonBlankString()
  'say "hi"\\n'?: unknown;

  @IsOptional()
  @IsNonBlankString()
  'line\u2028break */ //'?: unknown;

  @IsNonBlankString()
  $dollar?: unknown;

  @IsNonBlankString()
  '0'?: unknown;
}
DtoValidator.compile(OddNames);

/** class-validator itself on the same class, so that `$target` and `targetName` are comparable too. */
function reference<T extends object>(cls: new () => T, input: Record<string, unknown>) {
  return outcome(
    (value, prefix, issues) => classValidatorReading(cls, value, prefix, issues),
    input,
  );
}

function calls(run: () => unknown): { result: unknown; calls: RecordedCall[] } {
  recorded.length = 0;
  const result = run();
  return { result, calls: recorded.splice(0) };
}

const PATHS = [
  ['generated code', run],
  ['closures', runClosures],
] as const;

describe.each(PATHS)(
  'DtoValidator direct path, %s, on conditions, arguments and messages',
  (_path, runPath) => {
    it.each<[string, Record<string, unknown>]>([
      ['all valid', { first: 'ok', second: 'x', third: 'y', extra: 1 }],
      ['every rule broken', { first: 'bad', second: ' ', third: 'bad' }],
      ['conditions false', { first: 'skip', second: ' ', third: 'bad' }],
      ['optional values absent or null', { first: 'ok', second: null }],
      ['a number, in $value', { first: 5, third: 7 }],
      ['nothing set', {}],
      ['an object, copied and not in $value', { first: { a: 'b' }, third: [1] }],
      ['a boolean', { first: true, second: false, third: false }],
    ])('matches class-validator on %s', (_case, input) => {
      const direct = calls(() => runPath(Probe, input));
      const general = calls(() => reference(Probe, input));
      expect(direct.result).toEqual(general.result);
      expect(direct.calls).toEqual(general.calls);
    });

    it('gives each message of a failing check the arguments class-validator gives', () => {
      const { issues } = runPath(Probe, { first: 5, third: 'bad' });
      expect(issues).toEqual([
        {
          field: 'payload.first',
          problems: ['payload.first of Probe is 5, not first-constraint or 2'],
        },
        { field: 'payload.third', problems: ['payload.third got bad beside 5'] },
      ]);
    });

    it('validates one message after another with the same results', () => {
      const inputs = [
        { first: 'bad', second: ' ' },
        { first: 'ok', second: 'x', third: 'y' },
        { first: 'skip' },
      ];
      const once = inputs.map((input) => calls(() => runPath(Probe, input)));
      const again = inputs.map((input) => calls(() => runPath(Probe, input)));
      expect(again).toEqual(once);
    });

    it.each<[string, Record<string, unknown>]>([
      ['the first failing', { both: ' ' }],
      ['the second failing', { both: 'bad' }],
      ['both passing', { both: 'ok' }],
    ])('stops at the first failing check of a property: %s', (_case, input) => {
      const direct = calls(() => runPath(TwoChecks, input));
      const general = calls(() => reference(TwoChecks, input));
      expect(direct.result).toEqual(general.result);
      expect(direct.calls).toEqual(general.calls);
    });

    it.each<[string, Record<string, unknown>]>([
      ['all set', { 'say "hi"\\n': 'a', 'line\u2028break */ //': 'b', $dollar: 'c', 0: 'd' }],
      ['all blank', { 'say "hi"\\n': ' ', 'line\u2028break */ //': '', $dollar: 1, 0: null }],
      ['none set', {}],
    ])('keeps property names that need escaping: %s', (_case, input) => {
      expect(runPath(OddNames, input)).toEqual(reference(OddNames, input));
    });
  },
);

describe('generated validation code', () => {
  it('is used for the registered test DTOs too', () => {
    expect(DtoValidator.for(Probe).isGenerated).toBe(true);
    expect(DtoValidator.for(OddNames).isGenerated).toBe(true);
  });

  it('gives way to the closures where code generation from strings is disallowed', () => {
    class NoCodeGeneration extends Probe {}
    DtoValidator.compile(NoCodeGeneration);
    const disallowed = vi.spyOn(globalThis, 'Function').mockImplementation(function () {
      // A function, not an arrow: it is called with `new`.
      throw new EvalError('Code generation from strings disallowed for this context');
    });
    let validator: DtoValidator<NoCodeGeneration>;
    try {
      validator = DtoValidator.for(NoCodeGeneration);
    } finally {
      disallowed.mockRestore();
    }
    expect(validator.isCompiled).toBe(true);
    expect(validator.isGenerated).toBe(false);
    const input = { first: 'bad', second: ' ', third: 'y' };
    expect(run(NoCodeGeneration, input)).toEqual(reference(NoCodeGeneration, input));
  });

  it('lets other errors of the Function constructor through', () => {
    const rules = CompiledDtoRules.compile(Probe);
    if (!rules) throw new Error('Probe does not compile');
    const broken = vi.spyOn(globalThis, 'Function').mockImplementation(function () {
      // A function, not an arrow: it is called with `new`.
      throw new SyntaxError('unexpected token');
    });
    try {
      expect(() => generateValidate(rules)).toThrow(SyntaxError);
    } finally {
      broken.mockRestore();
    }
  });
});
