import type { Kafka, KafkaConfig, Producer } from 'kafkajs';
import { KafkaClientClosedError } from './errors/kafka-client-closed.error';
import type { KafkaClientOptions } from './kafka-client-options.interface';
import {
  resolveKafkaConnectionSettings,
  type KafkaClientRole,
  type KafkaConnectionSettings,
} from './kafka-connection-config';
import { KafkaConnections } from './kafka-connections';
import type { KafkaOutgoingMessage } from './kafka-message-codec';
import { KafkaOffsetCommitter } from './kafka-offset.committer';
import { KafkaPartitionRecorder } from './kafka-partition-recorder';
import { KafkaPullConsumers } from './kafka-pull-consumers';
import type {
  KafkaBatchEntry,
  KafkaReceiveOptions,
  KafkaReceivedMessage,
  KafkaSendResult,
} from './kafka-received-message.interface';
import { KafkaSharedProducer } from './kafka-shared-producer';
import { KafkaReceiver } from './kafka.receiver';
import { KafkaSender } from './kafka.sender';
import { NestKafkaLogSink } from './nest-kafka-log-sink';

/**
 * The bus's Kafka client, on kafkajs: sends envelopes byte for byte as the Python client
 * does (idempotent producer, acks from all in-sync replicas), and receives one message at a
 * time with explicit offset commits, for scripts, tests and the consumer runtime.
 *
 * One producer, created on first use; one consumer per (topic, group), created on the first
 * `receiveMessage` for it (see `KafkaPullConsumer` for the delivery guarantees). The security
 * settings apply to all of them. Every failure is thrown as a typed `MessageBusError`.
 *
 * A facade over one role per file: `KafkaConnections` (kafkajs config per role),
 * `KafkaSharedProducer` and `KafkaSender` (sending), `KafkaPullConsumers` and `KafkaReceiver`
 * (receiving), `KafkaOffsetCommitter` (receipt handles to commits). Free of Nest on purpose,
 * so that it works on its own and as a provider.
 */
export class KafkaClient {
  /** The checked settings, defaults applied. The password inside is hidden from logs and `JSON.stringify`. */
  readonly settings: KafkaConnectionSettings;
  private readonly connections: KafkaConnections;
  private readonly sharedProducer: KafkaSharedProducer;
  private readonly consumers: KafkaPullConsumers;
  private readonly sender: KafkaSender;
  private readonly receiver: KafkaReceiver;
  private readonly committer: KafkaOffsetCommitter;
  private closing?: Promise<void>;

  /** Throws `MessageBusConfigurationError` naming the setting when an option is wrong; connects nothing yet. */
  constructor(options: KafkaClientOptions = {}) {
    this.settings = resolveKafkaConnectionSettings(options);
    this.connections = new KafkaConnections(
      this.settings,
      options.logger ?? new NestKafkaLogSink(),
    );
    const { errorContext } = this.connections;
    const parseOptions = options.registry ? { registry: options.registry } : {};
    const partitions = new KafkaPartitionRecorder(this.settings.partitioner);
    this.sharedProducer = new KafkaSharedProducer(this.connections, partitions);
    this.sender = new KafkaSender(() => this.producer(), partitions, errorContext, parseOptions);
    this.consumers = new KafkaPullConsumers(this.connections);
    this.committer = new KafkaOffsetCommitter(this.consumers, errorContext);
    this.receiver = new KafkaReceiver(this.consumers, this.committer, errorContext, parseOptions);
  }

  /**
   * The kafkajs config of this client for one role (its client id differs), as a fresh
   * object: brokers, TLS, SASL, timeouts and the redacting log creator. For code that drives
   * kafkajs itself, such as the consumer runtime, so that nothing is derived twice.
   */
  kafkaConfig(role: KafkaClientRole = 'consumer'): KafkaConfig {
    return this.connections.kafkaConfig(role);
  }

  /** A new kafkajs `Kafka` built from `kafkaConfig(role)`; its producers, consumers and admins are the caller's. */
  createKafka(role: KafkaClientRole = 'consumer'): Kafka {
    return this.connections.createKafka(role);
  }

  /**
   * The client's producer, connected: idempotent, one request in flight, acks from all
   * in-sync replicas, Java-compatible partitioning (the same key gives the same partition
   * as the Python and Java clients). Created on first use and shared; `close()` disconnects it.
   */
  async producer(): Promise<Producer> {
    this.assertOpen('producer');
    return this.sharedProducer.get();
  }

  /**
   * Sends one message: a `MessageBusMessage` as its `serialize()` text, a plain envelope
   * (has `meta_data` or `payload`) validated first, any other plain object as JSON.
   * `key` routes it: the same key, the same partition. `headers` are sent as record headers
   * beside the value, which they never change. Throws `MessageValidationError` before sending
   * when the envelope is invalid.
   */
  async sendMessage(
    message: KafkaOutgoingMessage,
    topic: string,
    key?: string,
    headers?: Readonly<Record<string, string>>,
  ): Promise<KafkaSendResult> {
    this.assertOpen('sendMessage');
    return this.sender.sendOne(message, topic, key, headers);
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
    return this.sender.sendMany(entries, topic);
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
    return this.receiver.receive<TPayload>(topic, options);
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
    return this.committer.commitHandle(topic, receiptHandle, groupId);
  }

  /**
   * Disconnects the producer and every consumer (consumers leave their groups without
   * committing anything). Safe to call more than once; later calls wait for the first.
   */
  close(): Promise<void> {
    this.closing ??= this.closeAll();
    return this.closing;
  }

  private async closeAll(): Promise<void> {
    const results = await Promise.allSettled([
      ...this.consumers.closeAll(),
      this.sharedProducer.disconnect(),
    ]);
    for (const result of results) {
      if (result.status === 'rejected') {
        // Shutdown goes on: a broker gone away cannot be left any more cleanly.
        this.connections.sink.warn('[KafkaClient] disconnecting failed during close()', {
          error: result.reason instanceof Error ? result.reason.message : String(result.reason),
        });
      }
    }
  }

  private assertOpen(operation: string): void {
    if (this.closing) throw new KafkaClientClosedError(operation);
  }
}
