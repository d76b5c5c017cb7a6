import { copyUntrustedJson, type JsonValue } from '../untrusted-json';
import type { CompiledDtoRules } from './compiled-dto-rules';
import { fieldCheckOf } from './field-check';
import { checkCallCode, conditionCode } from './generated-dto-validate';
import { GeneratedFunctionBuilder } from './generated-function.builder';

/**
 * The DTO instance when the value is certainly valid, else undefined: it then may or may not
 * be valid, and the caller runs the full validation (ValidateFunction) for the verdict and the
 * issues. It reports nothing itself, and may throw where the full validation throws too.
 */
export type AcceptFunction<T extends object> = (value: {
  [key: string]: JsonValue;
}) => T | undefined;

/**
 * The passing path of generateValidate (generated-dto-validate.ts) alone, for the messages
 * that are valid, which are nearly all of them: the same instance built from the same copies,
 * the same conditions and checks in the same order, but nothing for failures (the first
 * failing check returns undefined), no `Object.hasOwn` per property, and the tests of field
 * checks (field-check.ts) called directly, without the constraint's method and its arguments:
 * each gets a call site of its own, which V8 inlines.
 *
 * Why no `Object.hasOwn`: it is a call and a descriptor search per name, about half the cost
 * of validating a PAYMENT envelope before this path existed. The input is a tree of plain JSON
 * values (JSON.parse's or copyUntrustedJson's), so an own property is never undefined; when
 * its prototype is Object.prototype and that holds none of the DTO's names (`name in`, which
 * V8 folds to a constant while Object.prototype stays unchanged), a name the input does not
 * own reads as undefined. So `input[name] !== undefined` is `Object.hasOwn(input, name)`. Any
 * other prototype, or a name on Object.prototype, leaves the input to the full validation.
 *
 * Undefined where code generation from strings is disallowed: the full validation then runs
 * alone, as it did before.
 */
export function generateAccept<T extends object>(
  rules: CompiledDtoRules<T>,
): AcceptFunction<T> | undefined {
  const code = new GeneratedFunctionBuilder();
  const pass = (value: unknown): string => code.pass(value);
  const cls = pass(rules.cls);
  const copy = pass(copyUntrustedJson);
  const objectPrototype = pass(Object.prototype);
  const names = rules.properties.map(({ property }) => JSON.stringify(property));

  const lines = [
    `if (${pass(Object.getPrototypeOf)}(input) !== ${objectPrototype}) return undefined;`,
    ...(names.length > 0
      ? [
          `if (${names.map((key) => `${key} in ${objectPrototype}`).join(' || ')}) return undefined;`,
        ]
      : []),
    `const instance = new ${cls}();`,
    'let entry, value, passed;',
  ];
  for (const key of names) {
    lines.push(
      `entry = input[${key}];`,
      // The path only names the property in an error, which the full validation gives.
      `if (entry !== undefined) instance[${key}] = entry !== null && typeof entry === 'object' ? ${copy}(entry, ${key}) : entry;`,
    );
  }
  rules.properties.forEach(({ conditions, checks }, index) => {
    lines.push(`value = instance[${names[index]}];`, `if (${conditionCode(conditions, pass)}) {`);
    for (const check of checks) {
      const fieldCheck = fieldCheckOf(check.metadata.constraintCls);
      // A field check reads the value and the object only: it is called without the arguments.
      if (fieldCheck) lines.push(`  if (!${pass(fieldCheck)}(value, instance)) return undefined;`);
      else lines.push(...checkCallCode(check, pass), '  if (!passed) return undefined;');
    }
    lines.push('}');
  });
  lines.push('return instance;');
  return code.build<AcceptFunction<T>>(`accept${rules.cls.name}`, ['input'], lines);
}
