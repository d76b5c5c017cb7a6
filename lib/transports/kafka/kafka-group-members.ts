import { sumOccasionalCounts, withOccasionalCounts } from '../occasional-counts';
import type { ConsumerState, ConsumerStatus, RunningConsumer } from '../transport.interface';

/** The state a set of members reports: the first of these any member is in. */
const STATE_PRIORITY: readonly ConsumerState[] = [
  'failed',
  'reconnecting',
  'starting',
  'stopping',
  'running',
  'paused',
  'stopped',
];

/**
 * Several members of one consumer group in this app, for one topic (`members` > 1), seen as
 * one consumer: one status, with the counts summed and the most urgent state, and one stop.
 */
export class KafkaGroupMembers implements RunningConsumer {
  private constructor(
    readonly name: string,
    private readonly members: readonly RunningConsumer[],
  ) {}

  /**
   * Starts every member at once; when one cannot start, stops those that did and rethrows its
   * error, so the app never runs with part of a group.
   */
  static async start(
    name: string,
    members: ReadonlyArray<RunningConsumer & { start(): Promise<void> }>,
  ): Promise<KafkaGroupMembers> {
    const started = await Promise.allSettled(members.map((member) => member.start()));
    const failure = started.find(
      (result): result is PromiseRejectedResult => result.status === 'rejected',
    );
    if (failure) {
      await Promise.all(members.map((member) => member.stop(0).catch(() => undefined)));
      throw failure.reason;
    }
    return new KafkaGroupMembers(name, members);
  }

  status(): ConsumerStatus {
    const statuses = this.members.map((member) => member.status());
    const state =
      STATE_PRIORITY.find((candidate) => statuses.some((status) => status.state === candidate)) ??
      'stopped';
    const sum = (field: 'inFlight' | 'handled' | 'retried' | 'deadLettered'): number =>
      statuses.reduce((total, status) => total + status[field], 0);
    const lastError = statuses.find((status) => status.lastError !== undefined)?.lastError;
    const counted = withOccasionalCounts(
      {
        name: this.name,
        state,
        inFlight: sum('inFlight'),
        handled: sum('handled'),
        retried: sum('retried'),
        deadLettered: sum('deadLettered'),
      },
      sumOccasionalCounts(statuses),
    );
    return lastError === undefined ? counted : { ...counted, lastError };
  }

  async pause(): Promise<void> {
    await Promise.all(this.members.map((member) => member.pause()));
  }

  async resume(): Promise<void> {
    await Promise.all(this.members.map((member) => member.resume()));
  }

  async stop(timeoutMs: number): Promise<void> {
    await Promise.all(this.members.map((member) => member.stop(timeoutMs)));
  }
}
