import { Logger } from '@nestjs/common';
import { MessageBusError } from '../errors/message-bus.error';
import type {
  ConsumerState,
  ConsumerStatus,
  RunningConsumer,
} from '../transports/transport.interface';
import type { DeclaredConsumer } from './declared-consumers';

/**
 * One declared consumer as `MessageBusConsumers` steers it: started at boot or later, paused,
 * resumed, stopped and started again. Operations on one consumer do not wait for the others.
 */
export interface ManagedConsumer {
  /** As in `statuses()`: `sqs:<queue>`, `kafka:<topic> (<groupId>)`, `memory:<source> (<group>)`. */
  readonly name: string;
  status(): ConsumerStatus;
  /**
   * Makes it consume: connects and starts a consumer that is not running (never started,
   * stopped, or failed: a fresh one, with fresh counts), or resumes a paused one. Rejects
   * when it cannot start; it then stays `stopped` with the reason in `lastError`.
   */
  start(): Promise<void>;
  /** Stops fetching but stays connected; resolves once its running handlers have settled. */
  pause(): Promise<void>;
  /** Fetches again after `pause()`; starts it when it is not running, like `start()`. */
  resume(): Promise<void>;
  /**
   * Stops it as shutdown does (running handlers get `shutdownTimeoutMs`, the rest is
   * redelivered); the other consumers keep running.
   */
  stop(): Promise<void>;
}

/** The consumer of one declaration: none until it first starts. */
export class ManagedConsumerSlot implements ManagedConsumer {
  private readonly logger = new Logger('MessageBusConsumers');
  private consumer?: RunningConsumer;
  private starting?: Promise<RunningConsumer>;
  private stopping?: Promise<void>;
  private startError?: string;
  private closed = false;

  constructor(
    readonly declared: DeclaredConsumer,
    private readonly launch: () => Promise<RunningConsumer>,
    private readonly shutdownTimeoutMs: number,
    /** Throws when the app must not start consumers (`consume: false`). */
    private readonly mayStart: () => void,
  ) {}

  get name(): string {
    return this.declared.name;
  }

  status(): ConsumerStatus {
    if (this.consumer) return this.consumer.status();
    const state: ConsumerState = this.starting ? 'starting' : 'stopped';
    const idle = { name: this.name, state, inFlight: 0, handled: 0, retried: 0, deadLettered: 0 };
    return this.startError === undefined ? idle : { ...idle, lastError: this.startError };
  }

  async start(): Promise<void> {
    await this.stopping;
    const current = this.consumer?.status().state;
    if (current !== undefined && current !== 'stopped' && current !== 'failed') {
      await this.consumer?.resume();
      return;
    }
    this.mayStart();
    if (this.closed) {
      throw new MessageBusError(
        `${this.name} cannot start: the app is shutting down; start it in an app that runs`,
      );
    }
    if (current === 'failed') await this.stop();
    this.starting ??= this.startOnce();
    await this.starting;
  }

  async pause(): Promise<void> {
    await this.starting?.catch(() => undefined);
    await this.consumer?.pause();
  }

  async resume(): Promise<void> {
    await this.start();
  }

  stop(): Promise<void> {
    this.stopping ??= this.stopOnce().finally(() => (this.stopping = undefined));
    return this.stopping;
  }

  /** At app shutdown: stops it, and refuses every later start. */
  close(): Promise<void> {
    this.closed = true;
    return this.stop();
  }

  private async startOnce(): Promise<RunningConsumer> {
    try {
      const consumer = await this.launch();
      this.consumer = consumer;
      this.startError = undefined;
      this.logger.log(`Consuming ${consumer.name}`);
      return consumer;
    } catch (error) {
      this.consumer = undefined;
      this.startError = error instanceof Error ? error.message : String(error);
      throw error;
    } finally {
      this.starting = undefined;
    }
  }

  private async stopOnce(): Promise<void> {
    await this.starting?.catch(() => undefined);
    await this.consumer?.stop(this.shutdownTimeoutMs);
  }
}
