/** A payload DTO class: instantiable with no arguments, decorated with class-validator rules. */
export type PayloadClass<TPayload extends object = object> = new () => TPayload;
