import { MessageBusMessage } from '../../lib/message/message-bus-message';
import { buildMessageTypeRegistry } from '../../lib/message/message-type-registry';
import type { ContenderRun } from '../contender.interface';
import { paymentEnvelopeText } from '../payment-envelope';

/**
 * Validation micro-benchmark: nanoseconds per PAYMENT envelope for `JSON.parse` of its UTF-8
 * bytes alone, against the dispatcher's own parse path (`MessageBusMessage.fromJSON(bytes,
 * { registry })` with a module-built registry: parse, validate meta_data and payload, build
 * the message). Interleaved finely: each sample runs both over the same envelopes in
 * alternating slices of SLICE; the figures are medians over the samples, the difference in
 * `extra.diffUs`.
 */
/** Envelopes per slice of a sample: short enough (about 2 ms) that both sides see the same machine. */
const SLICE = 500;

export const validationContender: ContenderRun = async (request, clock) => {
  const { iterations, samples } = request.validation!;
  const registry = buildMessageTypeRegistry([]);
  const bodies = Array.from({ length: 64 }, (_, index) => Buffer.from(paymentEnvelopeText(index)));
  let sink = 0;
  /** Nanoseconds for `count` envelopes parsed alone, from envelope `from` on. */
  const parseOnly = (from: number, count: number): number => {
    const started = process.hrtime.bigint();
    for (let index = from; index < from + count; index += 1) {
      const body = JSON.parse(bodies[index & 63].toString('utf8')) as { payload?: object };
      if (body.payload !== undefined) sink += 1;
    }
    return Number(process.hrtime.bigint() - started);
  };
  /** Nanoseconds for `count` envelopes through the library's parse path, from envelope `from` on. */
  const library = (from: number, count: number): number => {
    const started = process.hrtime.bigint();
    for (let index = from; index < from + count; index += 1) {
      const message = MessageBusMessage.fromJSON(bodies[index & 63], { registry });
      if (message.payload !== undefined) sink += 1;
    }
    return Number(process.hrtime.bigint() - started);
  };
  /**
   * One sample: `iterations` envelopes each way, in slices of SLICE taken alternately (which
   * goes first alternating too), so that a pause of the machine (another process, the
   * hypervisor taking the core) lands on both sides alike rather than on one whole side.
   * Nanoseconds per envelope, [parse alone, library].
   */
  const sample = (index: number): [number, number] => {
    let parseNs = 0;
    let libraryNs = 0;
    for (let from = 0, slice = 0; from < iterations; from += SLICE, slice += 1) {
      const count = Math.min(SLICE, iterations - from);
      if ((index + slice) % 2 === 0) {
        parseNs += parseOnly(from, count);
        libraryNs += library(from, count);
      } else {
        libraryNs += library(from, count);
        parseNs += parseOnly(from, count);
      }
    }
    return [parseNs / iterations, libraryNs / iterations];
  };
  // Warm-up, not measured: both paths optimised before the first sample.
  sample(0);
  const parse: number[] = [];
  const validated: number[] = [];
  clock.start();
  for (let index = 0; index < samples; index += 1) {
    const [parseNs, libraryNs] = sample(index);
    parse.push(parseNs);
    validated.push(libraryNs);
    clock.count(iterations);
  }
  clock.stop();
  const median = (values: number[]): number =>
    [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
  const diffs = parse.map((ns, index) => validated[index] - ns);
  clock.extra = {
    jsonParseNs: Math.round(median(parse)),
    libraryNs: Math.round(median(validated)),
    diffUs: Math.round(median(diffs)) / 1_000,
    diffMinUs: Math.round(Math.min(...diffs)) / 1_000,
    diffMaxUs: Math.round(Math.max(...diffs)) / 1_000,
    sink: sink > 0 ? 1 : 0,
  };
};
