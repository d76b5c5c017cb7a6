import type { ContenderRun } from './contender.interface';

export type BenchSection = 'kafka' | 'kafka-large' | 'kafka-failure' | 'sqs' | 'validation';

/** One contender as the parent schedules it; `load` runs in the child only. */
export interface ContenderEntry {
  readonly id: string;
  readonly sections: readonly BenchSection[];
  readonly label: string;
  /** Kafka failure runs: which retry mode and what share fails its first attempt. */
  readonly failurePercent?: number;
  readonly load: () => Promise<ContenderRun>;
}

const kafkaSections: BenchSection[] = ['kafka', 'kafka-large'];

function failureEntries(): ContenderEntry[] {
  const entries: ContenderEntry[] = [];
  for (const mode of ['blocking', 'retry-topic'] as const) {
    for (const failurePercent of [0, 1, 10]) {
      entries.push({
        id: `fail-${mode === 'blocking' ? 'ordered' : 'retry-topic'}-${failurePercent}`,
        sections: ['kafka-failure'],
        label: `library, ${mode === 'blocking' ? 'ordered (blocking) retries' : 'retry-topic mode'}, ${failurePercent} % fail their first attempt, first retry after 25–50 ms`,
        failurePercent,
        load: async () => {
          const { kafkaLibraryContender, RETRY_MODE_OPTION, FAILURE_RETRY } =
            await import('./kafka/kafka-library.contender.js');
          // The ordered mode is today's default: no mode set, so it runs on any revision.
          const retryMode: Record<string, unknown> =
            mode === 'blocking' ? {} : { [RETRY_MODE_OPTION]: 'retry-topic' };
          return kafkaLibraryContender({ retry: FAILURE_RETRY, ...retryMode }, true);
        },
      });
    }
  }
  return entries;
}

/** Every contender, in the order each round runs them. */
export const CONTENDERS: readonly ContenderEntry[] = [
  {
    id: 'k0',
    sections: kafkaSections,
    label: 'K0: kafkajs eachBatch, no parsing, commit',
    load: async () => (await import('./kafka/kafka-raw.contender.js')).kafkaRawContender(false),
  },
  {
    id: 'k1',
    sections: kafkaSections,
    label: 'K1: kafkajs eachBatch + JSON.parse + hand check of PAYMENT fields + commit',
    load: async () => (await import('./kafka/kafka-raw.contender.js')).kafkaRawContender(true),
  },
  {
    id: 'lib',
    sections: kafkaSections,
    label: 'library, default settings',
    load: async () =>
      (await import('./kafka/kafka-library.contender.js')).kafkaLibraryContender({}),
  },
  {
    id: 'lib-tuned',
    sections: kafkaSections,
    label: 'library, tuned',
    load: async () => {
      const { kafkaLibraryContender, LIBRARY_TUNED_KAFKA } =
        await import('./kafka/kafka-library.contender.js');
      return kafkaLibraryContender(LIBRARY_TUNED_KAFKA);
    },
  },
  {
    id: 'nest',
    sections: kafkaSections,
    label: '@nestjs/microservices ServerKafka, @EventPattern no-op',
    load: async () =>
      (await import('./kafka/server-kafka.contender.js')).serverKafkaContender(false),
  },
  {
    id: 'nest-validated',
    sections: kafkaSections,
    label: 'ServerKafka + ValidationPipe on a class-validator DTO',
    load: async () =>
      (await import('./kafka/server-kafka.contender.js')).serverKafkaContender(true),
  },
  ...failureEntries(),
  {
    id: 'sqs-plain',
    sections: ['sqs'],
    label: 'plain SDK loop: receive 10, 1 s long poll, DeleteMessageBatch, parallel loops',
    load: async () => (await import('./sqs/sqs-plain-loop.contender.js')).sqsPlainLoopContender,
  },
  {
    id: 'sqs-consumer',
    sections: ['sqs'],
    label: 'sqs-consumer 15, default settings (one instance)',
    load: async () =>
      (await import('./sqs/sqs-consumer-package.contender.js')).sqsConsumerPackageContender(false),
  },
  {
    id: 'sqs-consumer-best',
    sections: ['sqs'],
    label: 'sqs-consumer 15 at its best: batchSize 10, handleMessageBatch, parallel instances',
    load: async () =>
      (await import('./sqs/sqs-consumer-package.contender.js')).sqsConsumerPackageContender(true),
  },
  {
    id: 'sqs-lib',
    sections: ['sqs'],
    label: 'library, default settings',
    load: async () => (await import('./sqs/sqs-library.contender.js')).sqsLibraryContender({}),
  },
  {
    id: 'sqs-lib-tuned',
    sections: ['sqs'],
    label: 'library, tuned',
    load: async () => {
      const { sqsLibraryContender, LIBRARY_TUNED_SQS } =
        await import('./sqs/sqs-library.contender.js');
      return sqsLibraryContender(LIBRARY_TUNED_SQS);
    },
  },
  {
    id: 'validate',
    sections: ['validation'],
    label: 'PAYMENT envelope: JSON.parse alone vs the library parse + validate',
    load: async () => (await import('./validation/validation.contender.js')).validationContender,
  },
];

export function contender(id: string): ContenderEntry {
  const entry = CONTENDERS.find((candidate) => candidate.id === id);
  if (entry === undefined) {
    throw new Error(
      `BENCH_ONLY names an unknown contender "${id}": use some of ${CONTENDERS.map((c) => c.id).join(', ')}`,
    );
  }
  return entry;
}
