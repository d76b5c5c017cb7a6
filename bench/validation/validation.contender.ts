import { MessageBusMessage } from '../../lib/message/message-bus-message';
import { buildMessageTypeRegistry } from '../../lib/message/message-type-registry';
import type { ContenderRun } from '../contender.interface';
import { paymentEnvelopeText } from '../payment-envelope';

/**
 * Validation micro-benchmark: nanoseconds per PAYMENT envelope for `JSON.parse` of its UTF-8
 * bytes alone, against the dispatcher's own parse path (`MessageBusMessage.fromJSON(bytes,
 * { registry })` with a module-built registry: parse, validate meta_data and payload, build
 * the message). Interleaved: each sample runs one batch of each, alternating which goes
 * first; the figures are medians over the samples, the difference in `extra.diffUs`.
 */
export const validationContender: ContenderRun = async (request, clock) => {
  const { iterations, samples } = request.validation!;
  const registry = buildMessageTypeRegistry([]);
  const bodies = Array.from({ length: 64 }, (_, index) => Buffer.from(paymentEnvelopeText(index)));
  let sink = 0;
  const parseOnly = (): number => {
    const started = process.hrtime.bigint();
    for (let index = 0; index < iterations; index += 1) {
      const body = JSON.parse(bodies[index & 63].toString('utf8')) as { payload?: object };
      if (body.payload !== undefined) sink += 1;
    }
    return Number(process.hrtime.bigint() - started) / iterations;
  };
  const library = (): number => {
    const started = process.hrtime.bigint();
    for (let index = 0; index < iterations; index += 1) {
      const message = MessageBusMessage.fromJSON(bodies[index & 63], { registry });
      if (message.payload !== undefined) sink += 1;
    }
    return Number(process.hrtime.bigint() - started) / iterations;
  };
  // Warm-up, not measured: both paths optimised before the first sample.
  parseOnly();
  library();
  const parse: number[] = [];
  const validated: number[] = [];
  clock.start();
  for (let sample = 0; sample < samples; sample += 1) {
    if (sample % 2 === 0) {
      parse.push(parseOnly());
      validated.push(library());
    } else {
      validated.push(library());
      parse.push(parseOnly());
    }
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
