/**
 * Builds one function from generated source, for the DTO validators (generated-dto-validate.ts,
 * generated-dto-accept.ts). Every function and object the source uses is passed in as a value
 * (`pass`), never written out: the source holds only literals the generator chose (property
 * names as JSON string literals, indexes) and the name, reduced to identifier characters.
 */
export class GeneratedFunctionBuilder {
  private readonly values: unknown[] = [];
  private readonly names = new Map<unknown, string>();

  /** The name of a constant of the generated function's scope that holds `value` (one per value). */
  pass(value: unknown): string {
    let name = this.names.get(value);
    if (name === undefined) {
      name = `v${this.values.push(value) - 1}`;
      this.names.set(value, name);
    }
    return name;
  }

  /**
   * `function <name>(<parameters>) { <lines> }`, or undefined where code generation from
   * strings is disallowed (`node --disallow-code-generation-from-strings`).
   */
  build<F>(name: string, parameters: readonly string[], lines: readonly string[]): F | undefined {
    const identifier = name.replace(/[^\w$]/g, '_');
    const constants = this.values.map((_value, index) => `v${index} = $[${index}]`);
    const source = [
      "'use strict';",
      ...(constants.length > 0 ? [`const ${constants.join(', ')};`] : []),
      `return function ${identifier}(${parameters.join(', ')}) {`,
      ...lines.map((line) => `  ${line}`),
      '};',
      `//# sourceURL=nestjs-message-bus/${identifier}.js`,
    ].join('\n');
    let factory: ($: readonly unknown[]) => F;
    try {
      // Reviewed use of the Function constructor: see the class comment on what the source holds.
      // eslint-disable-next-line @typescript-eslint/no-implied-eval
      factory = new Function('$', source) as typeof factory;
    } catch (error) {
      if (error instanceof EvalError) return undefined;
      throw error;
    }
    return factory(this.values);
  }
}
