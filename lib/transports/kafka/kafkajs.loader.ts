import type * as KafkaJs from 'kafkajs';
import { loadOptionalPackage } from '../optional-package.loader';

/** The `kafkajs` module: `Kafka`, its partitioners, assigners and enums. */
export type KafkaJsModule = typeof KafkaJs;

/**
 * `kafkajs`, loaded when a `KafkaClient` is built (that is, when `kafka` is configured) and
 * kept: an SQS-only app never loads it, so it need not install it.
 */
export function loadKafkaJs(): KafkaJsModule {
  return loadOptionalPackage<KafkaJsModule>('kafkajs', {
    setting: 'kafka',
    feature: 'the Kafka transport',
  });
}
