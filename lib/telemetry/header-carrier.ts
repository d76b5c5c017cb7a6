import type { TextMapGetter, TextMapSetter } from '@opentelemetry/api';

/** Reads trace context from a delivery's headers (Kafka headers, SQS string attributes). */
export const HEADER_GETTER: TextMapGetter<Readonly<Record<string, string>>> = {
  keys: (carrier) => Object.keys(carrier),
  get: (carrier, key) => carrier[key],
};

/** Writes trace context into the headers of a publish. */
export const HEADER_SETTER: TextMapSetter<Record<string, string>> = {
  set: (carrier, key, value) => {
    carrier[key] = value;
  },
};
