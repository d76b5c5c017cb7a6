import { copyUntrustedJson } from '../untrusted-json';
import {
  isSet,
  NO_OBJECT,
  type CompiledCheck,
  type CompiledDtoRules,
  type Condition,
  type ValidateFunction,
} from './compiled-dto-rules';
import { GeneratedFunctionBuilder } from './generated-function.builder';

/**
 * CompiledDtoRules.validate as straight-line code for one DTO, or undefined where code
 * generation from strings is disallowed (`node --disallow-code-generation-from-strings`), in
 * which case the closures run.
 *
 * Why generate code at all: on the closure path most of the time goes to reading and writing
 * properties by a computed name, a megamorphic lookup in V8 each time (15 properties of a
 * PAYMENT envelope, four lookups each), and to calling every constraint from one shared call
 * site. Here each property name is a literal, so every access has its own monomorphic inline
 * cache, and each check its own call site, so V8 inlines the constraint. For a PAYMENT
 * envelope that takes the work besides JSON.parse from about 13 000 to 5 000 instructions.
 *
 * What goes into the source: the DTO's property names as JSON string literals, the class name
 * reduced to identifier characters, and indexes; every function and object the code uses is
 * passed in as a value, never written out. Message content never reaches it. The statements
 * are those of `CompiledDtoRules.validate`, in the same order: copy every property the input
 * owns, then per property its conditions and checks, stopping at its first failure.
 */
export function generateValidate<T extends object>(
  rules: CompiledDtoRules<T>,
): ValidateFunction<T> | undefined {
  const code = new GeneratedFunctionBuilder();
  const pass = (value: unknown): string => code.pass(value);
  const cls = pass(rules.cls);
  const copy = pass(copyUntrustedJson);
  const hasOwn = pass(Object.hasOwn);
  const issueOf = pass(
    (check: CompiledCheck, property: string, prefix: string, object: object, value: unknown) =>
      rules.issueOf(check, property, prefix, object, value),
  );

  const lines = [`const instance = new ${cls}();`, 'let entry, value, passed, valid = true;'];
  for (const { property } of rules.properties) {
    const key = JSON.stringify(property);
    lines.push(
      `if (${hasOwn}(input, ${key})) {`,
      `  entry = input[${key}];`,
      `  instance[${key}] = entry !== null && typeof entry === 'object' ? ${copy}(entry, prefix + ${JSON.stringify(`.${property}`)}) : entry;`,
      '}',
    );
  }
  rules.properties.forEach(({ property, conditions, checks }, index) => {
    const key = JSON.stringify(property);
    lines.push(`value = instance[${key}];`, `p${index}: if (${conditionCode(conditions, pass)}) {`);
    for (const check of checks) {
      lines.push(
        ...checkCallCode(check, pass),
        `  if (!passed) {`,
        `    issues.push(${issueOf}(${pass(check)}, ${key}, prefix, instance, value));`,
        '    valid = false;',
        `    break p${index};`,
        '  }',
      );
    }
    lines.push('}');
  });
  lines.push('return valid ? instance : undefined;');
  return code.build<ValidateFunction<T>>(
    `validate${rules.cls.name}`,
    ['input', 'prefix', 'issues'],
    lines,
  );
}

/** A property's conditions as one expression on `instance` and `value`; IsOptional's inlined (see isSet). */
export function conditionCode(
  conditions: readonly Condition[],
  pass: (value: unknown) => string,
): string {
  const code = conditions.map((condition) =>
    condition === isSet
      ? '(value !== null && value !== undefined)'
      : `${pass(condition)}(instance, value)`,
  );
  return code.join(' && ') || 'true';
}

/**
 * One check as class-validator calls it: `passed = validate.call(constraint, value, args)`, with
 * the reused arguments (see CompiledCheck.args) set for the call and cleared after it.
 */
export function checkCallCode(check: CompiledCheck, pass: (value: unknown) => string): string[] {
  const args = pass(check.args);
  const noObject = pass(NO_OBJECT);
  return [
    `  ${args}.object = instance;`,
    `  ${args}.value = value;`,
    `  passed = ${pass(check.validate)}.call(${pass(check.constraint)}, value, ${args});`,
    `  ${args}.object = ${noObject};`,
    `  ${args}.value = undefined;`,
  ];
}
