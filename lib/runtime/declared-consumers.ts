import type {
  ResolvedKafkaConsumer,
  ResolvedMessageBusOptions,
  ResolvedSqsConsumer,
} from '../options/resolved-options';
import {
  kafkaConsumerName,
  memoryConsumerName,
  sqsConsumerName,
} from '../transports/consumer-names';
import { toMemorySubscription } from '../transports/memory/memory-subscription';

/** A consumer the options declare, named as it will be once it runs, started or not. */
export type DeclaredConsumer = { readonly name: string } & (
  | { readonly bus: 'sqs'; readonly settings: ResolvedSqsConsumer }
  | { readonly bus: 'kafka'; readonly settings: ResolvedKafkaConsumer }
);

/** Every consumer of `consumers.sqs` and `consumers.kafka`, queues first, in the order given. */
export function declaredConsumers(options: ResolvedMessageBusOptions): DeclaredConsumer[] {
  const onMemory = options.transport === 'memory';
  const nameOf = (settings: ResolvedSqsConsumer | ResolvedKafkaConsumer): string => {
    if (onMemory) {
      const { source, group } = toMemorySubscription(settings);
      return memoryConsumerName(source, group);
    }
    return 'queue' in settings
      ? sqsConsumerName(settings.queue)
      : kafkaConsumerName(settings.topic, settings.groupId);
  };
  return [
    ...options.sqsConsumers.map((settings) => ({
      name: nameOf(settings),
      bus: 'sqs' as const,
      settings,
    })),
    ...options.kafkaConsumers.map((settings) => ({
      name: nameOf(settings),
      bus: 'kafka' as const,
      settings,
    })),
  ];
}
