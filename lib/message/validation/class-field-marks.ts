/**
 * Marks that property decorators put on a class's fields, for code other than the validator
 * to read (writing, not reading, rules). Read through an instance, so the marks of the classes
 * it extends count too; a subclass's mark wins over its parent's.
 */
export class ClassFieldMarks<TValue> {
  private readonly marks = new WeakMap<object, Map<string, TValue>>();
  /** Per instance prototype: decorators run when a class is defined, before any instance exists. */
  private readonly resolved = new WeakMap<object, ReadonlyMap<string, TValue>>();

  /** Records `value` for `property` of the class whose prototype is `prototype`. */
  mark(prototype: object, property: string, value: TValue): void {
    const fields = this.marks.get(prototype) ?? new Map<string, TValue>();
    fields.set(property, value);
    this.marks.set(prototype, fields);
  }

  /** The marked fields of `instance`'s class and the classes it extends. */
  of(instance: object): ReadonlyMap<string, TValue> {
    const own: object | null = Object.getPrototypeOf(instance);
    const cached = own && this.resolved.get(own);
    if (cached) return cached;
    const fields = new Map<string, TValue>();
    for (
      let prototype: object | null = own;
      prototype !== null && prototype !== Object.prototype;
      prototype = Object.getPrototypeOf(prototype)
    ) {
      for (const [field, value] of this.marks.get(prototype) ?? []) {
        if (!fields.has(field)) fields.set(field, value);
      }
    }
    if (own) this.resolved.set(own, fields);
    return fields;
  }
}
