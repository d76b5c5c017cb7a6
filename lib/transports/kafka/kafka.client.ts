import {
  Kafka,
  type IHeaders,
  type KafkaConfig,
  type Message,
  type Producer,
  type RecordMetadata,
} from 'kafkajs';
import { KafkaClientClosedError } from './errors/kafka-client-closed.error';
import { KafkaCommitError } from './errors/kafka-commit.error';
import { KafkaInvalidArgumentError } from './errors/kafka-invalid-argument.error';
import { KafkaReceiptHandleError } from './errors/kafka-receipt-handle.error';
import { KafkaSendError } from './errors/kafka-send.error';
import { MessageBusError } from '../../errors/message-bus.error';
import { MessageValidationError } from '../../errors/message-validation.error';
import type { MessageParseOptions } from '../../message/message-bus-message';
import type { KafkaClientOptions, KafkaLogSink } from './kafka-client-options.interface';
import {
  resolveKafkaConnectionSettings,
  toKafkaJsConfig,
  type KafkaClientRole,
  type KafkaConnectionSettings,
} from './kafka-connection-config';
import {
  toKafkaCommitError,
  toKafkaConnectError,
  toKafkaConsumerError,
  toKafkaSendError,
  type KafkaErrorContext,
} from './kafka-error-mapping';
import { createKafkaLogCreator } from './kafka-log-creator';
import { readKafkaValue, toKafkaValue, type KafkaOutgoingMessage } from './kafka-message-codec';
import { NestKafkaLogSink } from './nest-kafka-log-sink';
import { KafkaPartitionRecorder } from './kafka-partition-recorder';
import {
  KafkaCommitNotConfirmed,
  KafkaPullConsumer,
  type KafkaPulledRecord,
} from './kafka-pull-consumer';
import {
  formatKafkaReceiptHandle,
  isKafkaTopicName,
  parseKafkaReceiptHandle,
} from './kafka-receipt-handle';
import type {
  KafkaBatchEntry,
  KafkaReceiveOptions,
  KafkaReceivedMessage,
  KafkaSendResult,
} from './kafka-received-message.interface';
import { defaultKafkaGroupId } from '../../options/consumer-defaults';
import { KAFKA_DEFAULT_RECEIVE_TIMEOUT_MS, KAFKA_MAX_BYTES_PER_PARTITION } from './kafka.constants';

interface ConsumerEntry {
  readonly topic: string;
  readonly groupId: string;
  readonly ready: Promise<KafkaPullConsumer>;
  consumer?: KafkaPullConsumer;
}

/**
 * The bus's Kafka client, on kafkajs: sends envelopes byte for byte as the Python client
 * does (idempotent producer, acks from all in-sync replicas), and receives one message at a
 * time with explicit offset commits, for scripts, tests and the consumer runtime.
 *
 * One producer, created on first use; one consumer per (topic, group), created on the first
 * `receiveMessage` for it (see `KafkaPullConsumer` for the delivery guarantees). The security
 * settings apply to all of them. Every failure is thrown as a typed `MessageBusError`.
 *
 * Free of Nest on purpose, so that it works on its own and as a provider.
 */
export class KafkaClient {
  /** The checked settings, defaults applied. The password inside is hidden from logs and `JSON.stringify`. */
  readonly settings: KafkaConnectionSettings;
  private readonly sink: KafkaLogSink;
  private readonly parseOptions: MessageParseOptions;
  private readonly errorContext: KafkaErrorContext;
  private readonly partitions = new KafkaPartitionRecorder();
  private readonly kafkaByRole = new Map<KafkaClientRole, Kafka>();
  private readonly consumers = new Map<string, ConsumerEntry>();
  private producerReady?: Promise<Producer>;
  private closing?: Promise<void>;

  /** Throws `MessageBusConfigurationError` naming the setting when an option is wrong; connects nothing yet. */
  constructor(options: KafkaClientOptions = {}) {
    this.settings = resolveKafkaConnectionSettings(options);
    this.sink = options.logger ?? new NestKafkaLogSink();
    this.parseOptions = options.registry ? { registry: options.registry } : {};
    this.errorContext = {
      brokers: this.settings.brokers,
      securityProtocol: this.settings.securityProtocol,
      saslMechanism: this.settings.sasl?.mechanism,
      userName: this.settings.sasl?.userName,
      secrets: () => this.secrets(),
    };
  }

  /**
   * The kafkajs config of this client for one role (its client id differs), as a fresh
   * object: brokers, TLS, SASL, timeouts and the redacting log creator. For code that drives
   * kafkajs itself, such as the consumer runtime, so that nothing is derived twice.
   */
  kafkaConfig(role: KafkaClientRole = 'consumer'): KafkaConfig {
    return toKafkaJsConfig(
      this.settings,
      role,
      createKafkaLogCreator(this.settings.logLevel, this.sink, this.secrets()),
    );
  }

  /** A new kafkajs `Kafka` built from `kafkaConfig(role)`; its producers, consumers and admins are the caller's. */
  createKafka(role: KafkaClientRole = 'consumer'): Kafka {
    return new Kafka(this.kafkaConfig(role));
  }

  /**
   * The client's producer, connected: idempotent, one request in flight, acks from all
   * in-sync replicas, Java-compatible partitioning (the same key gives the same partition
   * as the Python and Java clients). Created on first use and shared; `close()` disconnects it.
   */
  async producer(): Promise<Producer> {
    this.assertOpen('producer');
    this.producerReady ??= this.connectProducer();
    return this.producerReady;
  }

  /**
   * Sends one message: a `MessageBusMessage` as its `serialize()` text, a plain envelope
   * (has `meta_data` or `payload`) validated first, any other plain object as JSON.
   * `key` routes it: the same key, the same partition. Throws `MessageValidationError`
   * before sending when the envelope is invalid.
   */
  async sendMessage(
    message: KafkaOutgoingMessage,
    topic: string,
    key?: string,
  ): Promise<KafkaSendResult> {
    this.assertOpen('sendMessage');
    assertTopic(topic);
    const value = toKafkaValue(message, this.parseOptions);
    const [result] = await this.send(topic, [{ key: toKey(key, 'key'), value }]);
    return result;
  }

  /**
   * Sends several messages in one produce request per broker; every message is checked
   * before any is sent. Returns where each one was written, in the order given. On failure
   * the whole call throws `KafkaSendError`: some messages may have been written anyway.
   */
  async sendMessages(
    entries: readonly KafkaBatchEntry[],
    topic: string,
  ): Promise<KafkaSendResult[]> {
    this.assertOpen('sendMessages');
    assertTopic(topic);
    if (!Array.isArray(entries)) {
      throw new KafkaInvalidArgumentError('entries', 'must be an array of { message, key? }');
    }
    const messages = entries.map((entry, index): Message => {
      if (entry === null || typeof entry !== 'object') {
        throw new KafkaInvalidArgumentError(`entries[${index}]`, 'must be { message, key? }');
      }
      let value: string;
      try {
        value = toKafkaValue(entry.message, this.parseOptions);
      } catch (error) {
        if (!(error instanceof MessageValidationError)) throw error;
        throw new MessageValidationError(
          error.issues.map((issue) => ({
            ...issue,
            field: `entries[${index}].message.${issue.field}`,
          })),
          `Invalid message at entries[${index}]`,
        );
      }
      return { key: toKey(entry.key, `entries[${index}].key`), value };
    });
    if (messages.length === 0) return [];
    return this.send(topic, messages);
  }

  /**
   * The next message of `topic` for the group, or `null` when none arrives within
   * `timeoutMs`. The group (default `${topic}_consumer_group`) starts at the earliest offset
   * when it is new. The first call for a (topic, group) also waits for the consumer to join
   * its group. Nothing is committed unless `autoCommit` is set or `commitOffset` is called:
   * a message not committed is delivered again after a restart or rebalance.
   */
  async receiveMessage<TPayload extends object = object>(
    topic: string,
    options: KafkaReceiveOptions = {},
  ): Promise<KafkaReceivedMessage<TPayload> | null> {
    this.assertOpen('receiveMessage');
    assertTopic(topic);
    const groupId = resolveGroupId(topic, options.groupId);
    const timeoutMs = options.timeoutMs ?? KAFKA_DEFAULT_RECEIVE_TIMEOUT_MS;
    if (typeof timeoutMs !== 'number' || !Number.isFinite(timeoutMs) || timeoutMs < 0) {
      throw new KafkaInvalidArgumentError(
        'options.timeoutMs',
        `must be a number of milliseconds of at least 0, got ${String(timeoutMs)}`,
      );
    }
    const entry = this.consumerEntry(topic, groupId);
    const consumer = await entry.ready;
    let record: KafkaPulledRecord | null;
    try {
      record = await consumer.receive(timeoutMs, options.abortSignal);
    } catch (error) {
      // It stopped for good: forget it, so the next call starts a fresh one.
      this.forgetConsumer(entry);
      void consumer.close().catch(() => undefined);
      throw toKafkaConsumerError(error, topic, groupId, this.errorContext);
    }
    if (!record) return null;
    const received = this.toReceivedMessage<TPayload>(record, groupId);
    if (options.autoCommit)
      await this.commitWith(consumer, record.partition, record.offset, received.receiptHandle);
    return received;
  }

  /**
   * Marks the message of `receiptHandle`, and every earlier one of its partition, done for
   * the group that read it: commits offset + 1 on the consumer that handed it out. Pass
   * `groupId` when this client reads the topic in several groups. Throws
   * `KafkaReceiptHandleError` for a malformed handle or one no consumer of this client
   * handed out since its last rebalance, and `KafkaCommitError` when the coordinator refuses.
   */
  async commitOffset(topic: string, receiptHandle: string, groupId?: string): Promise<void> {
    this.assertOpen('commitOffset');
    assertTopic(topic);
    const position = parseKafkaReceiptHandle(receiptHandle);
    if (position.topic !== topic)
      throw new KafkaReceiptHandleError(receiptHandle, 'topic-mismatch', { topic });
    const candidates = [...this.consumers.values()]
      .filter(
        (entry) => entry.topic === topic && (groupId === undefined || entry.groupId === groupId),
      )
      .map((entry) => entry.consumer)
      .filter((consumer): consumer is KafkaPullConsumer => consumer !== undefined);
    const delivering = candidates.filter((consumer) =>
      consumer.hasDelivered(position.partition, position.offset),
    );
    const groups = (delivering.length > 0 ? delivering : candidates).map(
      (consumer) => consumer.groupId,
    );
    if (delivering.length === 0) {
      throw new KafkaReceiptHandleError(receiptHandle, 'not-delivered', {
        topic,
        groupIds: groupId ? [groupId] : groups,
      });
    }
    if (delivering.length > 1)
      throw new KafkaReceiptHandleError(receiptHandle, 'ambiguous', { topic, groupIds: groups });
    await this.commitWith(delivering[0], position.partition, position.offset, receiptHandle);
  }

  /**
   * Disconnects the producer and every consumer (consumers leave their groups without
   * committing anything). Safe to call more than once; later calls wait for the first.
   */
  close(): Promise<void> {
    this.closing ??= this.closeAll();
    return this.closing;
  }

  private async send(topic: string, messages: Message[]): Promise<KafkaSendResult[]> {
    const producer = await this.producer();
    let metadata: RecordMetadata[];
    try {
      metadata = await producer.send({ topic, acks: -1, messages });
    } catch (error) {
      throw toKafkaSendError(error, topic, messages.length, this.errorContext);
    }
    return this.offsetsOf(topic, messages, metadata);
  }

  /** One result per message: its partition's base offset plus its place among that partition's messages. */
  private offsetsOf(
    topic: string,
    messages: readonly Message[],
    metadata: readonly RecordMetadata[],
  ): KafkaSendResult[] {
    const next = new Map<number, bigint>();
    for (const entry of metadata) {
      if (entry.topicName === topic && entry.baseOffset !== undefined)
        next.set(entry.partition, BigInt(entry.baseOffset));
    }
    return messages.map((message) => {
      const partition = this.partitions.partitionOf(message);
      const offset = partition === undefined ? undefined : next.get(partition);
      if (partition === undefined || offset === undefined) {
        throw new KafkaSendError({
          topic,
          messageCount: messages.length,
          kafkaError: 'MissingProduceResponse',
          retriable: false,
          detail: 'the broker acknowledged the send without an offset for every partition written',
        });
      }
      next.set(partition, offset + 1n);
      return { topic, partition, offset: offset.toString() };
    });
  }

  private async connectProducer(): Promise<Producer> {
    const producer = this.kafka('producer').producer({
      idempotent: true,
      maxInFlightRequests: 1,
      createPartitioner: this.partitions.createPartitioner,
      retry: { retries: this.settings.sendRetries },
    });
    try {
      await producer.connect();
      return producer;
    } catch (error) {
      this.producerReady = undefined;
      await producer.disconnect().catch(() => undefined);
      throw toKafkaConnectError(error, this.errorContext);
    }
  }

  private consumerEntry(topic: string, groupId: string): ConsumerEntry {
    const id = `${topic}\u0000${groupId}`;
    const existing = this.consumers.get(id);
    if (existing) return existing;
    const consumer = new KafkaPullConsumer(
      this.kafka('consumer').consumer({
        groupId,
        sessionTimeout: this.settings.sessionTimeoutMs,
        heartbeatInterval: this.settings.heartbeatIntervalMs,
        maxWaitTimeInMs: this.settings.maxWaitTimeMs,
        maxBytesPerPartition: KAFKA_MAX_BYTES_PER_PARTITION,
      }),
      topic,
      groupId,
      this.settings.receiveBufferSize,
    );
    const entry: ConsumerEntry = {
      topic,
      groupId,
      ready: consumer.start().then(
        () => {
          entry.consumer = consumer;
          return consumer;
        },
        async (error: unknown) => {
          this.forgetConsumer(entry);
          // Also cancels the restart kafkajs may have scheduled after a failed join.
          await consumer.close().catch(() => undefined);
          throw toKafkaConsumerError(error, topic, groupId, this.errorContext);
        },
      ),
    };
    this.consumers.set(id, entry);
    return entry;
  }

  private forgetConsumer(entry: ConsumerEntry): void {
    const id = `${entry.topic}\u0000${entry.groupId}`;
    if (this.consumers.get(id) === entry) this.consumers.delete(id);
  }

  private async commitWith(
    consumer: KafkaPullConsumer,
    partition: number,
    offset: string,
    receiptHandle: string,
  ): Promise<void> {
    try {
      await consumer.commit(partition, offset, receiptHandle);
    } catch (error) {
      if (error instanceof MessageBusError) throw error;
      const position = {
        topic: consumer.topic,
        groupId: consumer.groupId,
        partition,
        offset: (BigInt(offset) + 1n).toString(),
      };
      if (error instanceof KafkaCommitNotConfirmed) {
        throw new KafkaCommitError(
          { ...position, kafkaError: error.name, detail: error.message },
          { cause: error },
        );
      }
      throw toKafkaCommitError(error, position, this.errorContext);
    }
  }

  private toReceivedMessage<TPayload extends object>(
    record: KafkaPulledRecord,
    groupId: string,
  ): KafkaReceivedMessage<TPayload> {
    const { message } = record;
    return {
      receiptHandle: formatKafkaReceiptHandle(record),
      topic: record.topic,
      partition: record.partition,
      offset: record.offset,
      groupId,
      key: message.key ? message.key.toString('utf8') : null,
      headers: decodeHeaders(message.headers),
      timestamp: message.timestamp,
      rawValue: message.value,
      ...readKafkaValue<TPayload>(message.value, this.parseOptions),
    };
  }

  private async closeAll(): Promise<void> {
    const entries = [...this.consumers.values()];
    this.consumers.clear();
    const producer = this.producerReady;
    this.producerReady = undefined;
    const results = await Promise.allSettled([
      ...entries.map(async (entry) => {
        // A consumer that failed to start was already closed, and its caller told.
        const consumer = await entry.ready.catch(() => undefined);
        await consumer?.close();
      }),
      (async () => {
        const ready = await producer?.catch(() => undefined);
        await ready?.disconnect();
      })(),
    ]);
    for (const result of results) {
      if (result.status === 'rejected') {
        // Shutdown goes on: a broker gone away cannot be left any more cleanly.
        this.sink.warn('[KafkaClient] disconnecting failed during close()', {
          error: result.reason instanceof Error ? result.reason.message : String(result.reason),
        });
      }
    }
  }

  private kafka(role: KafkaClientRole): Kafka {
    let kafka = this.kafkaByRole.get(role);
    if (!kafka) {
      kafka = this.createKafka(role);
      this.kafkaByRole.set(role, kafka);
    }
    return kafka;
  }

  private secrets(): string[] {
    const password = this.settings.sasl?.revealPassword();
    return password ? [password] : [];
  }

  private assertOpen(operation: string): void {
    if (this.closing) throw new KafkaClientClosedError(operation);
  }
}

function assertTopic(topic: unknown): asserts topic is string {
  if (!isKafkaTopicName(topic)) {
    throw new KafkaInvalidArgumentError(
      'topic',
      `must be a Kafka topic name (1-249 of a-z, A-Z, 0-9, ".", "_", "-"), got ${JSON.stringify(topic) ?? String(topic)}`,
    );
  }
}

function resolveGroupId(topic: string, groupId: unknown): string {
  if (groupId === undefined || groupId === null) return defaultKafkaGroupId(topic);
  if (typeof groupId !== 'string' || groupId.trim() === '') {
    throw new KafkaInvalidArgumentError(
      'options.groupId',
      'must be a non-blank string, or unset for `${topic}_consumer_group`',
    );
  }
  return groupId;
}

/** As the Python client: a missing or empty key means no key, i.e. the partitioner spreads the messages. */
function toKey(key: unknown, argument: string): string | null {
  if (key === undefined || key === null || key === '') return null;
  if (typeof key !== 'string')
    throw new KafkaInvalidArgumentError(
      argument,
      `must be a string (sent as UTF-8), got a ${typeof key}`,
    );
  return key;
}

function decodeHeaders(headers: IHeaders | undefined): Record<string, string | string[]> {
  const decoded: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    if (value === undefined) continue;
    decoded[name] = Array.isArray(value) ? value.map((item) => item.toString()) : value.toString();
  }
  return decoded;
}
