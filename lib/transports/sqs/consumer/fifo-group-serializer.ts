interface Waiting<T> {
  readonly item: T;
  readonly sequence?: bigint;
}

interface Group<T> {
  running: boolean;
  readonly waiting: Waiting<T>[];
}

/** What to do once the running message of a group has settled. */
export interface FifoGroupNext<T> {
  /** The group's next message, to start now. */
  readonly next?: T;
  /** Messages to give back to the queue unprocessed, so they come after the one left there. */
  readonly release: T[];
}

/**
 * Keeps a FIFO queue's per-group order inside one consumer: at most one message of a
 * message group runs at a time, the others wait in sequence order. When a message is left
 * on the queue (to be retried), the group's later messages are handed back for release
 * instead of run, so that SQS redelivers them after it, in order.
 */
export class FifoGroupSerializer<T> {
  private readonly groups = new Map<string, Group<T>>();
  private waitingCount = 0;

  /** Messages held but not started. */
  get waiting(): number {
    return this.waitingCount;
  }

  /** Groups with a message running. */
  get running(): number {
    let running = 0;
    for (const group of this.groups.values()) if (group.running) running += 1;
    return running;
  }

  /**
   * Takes a received message. Returns true when it may start at once (its group had nothing
   * running); false when it waits behind its group's running message.
   * @param sequenceNumber the SQS SequenceNumber, which orders messages of a group
   */
  offer(groupId: string, item: T, sequenceNumber?: string): boolean {
    let group = this.groups.get(groupId);
    if (!group) {
      group = { running: false, waiting: [] };
      this.groups.set(groupId, group);
    }
    if (!group.running) {
      group.running = true;
      return true;
    }
    const sequence = toSequence(sequenceNumber);
    let at = group.waiting.length;
    if (sequence !== undefined) {
      // SQS hands a group's messages out in order; sorting only guards against two receives racing.
      while (at > 0 && (group.waiting[at - 1].sequence ?? -1n) > sequence) at -= 1;
    }
    group.waiting.splice(at, 0, { item, sequence });
    this.waitingCount += 1;
    return false;
  }

  /**
   * The running message of `groupId` has settled. `leftOnQueue` is true when it is still on
   * the queue (a retry, or a dead letter that could not be sent): then every waiting message
   * of the group is returned for release and nothing runs; otherwise the next one runs.
   */
  settled(groupId: string, leftOnQueue: boolean): FifoGroupNext<T> {
    const group = this.groups.get(groupId);
    if (!group) return { release: [] };
    if (leftOnQueue) {
      const release = group.waiting.splice(0).map((waiting) => waiting.item);
      this.waitingCount -= release.length;
      this.groups.delete(groupId);
      return { release };
    }
    const next = group.waiting.shift();
    if (!next) {
      this.groups.delete(groupId);
      return { release: [] };
    }
    this.waitingCount -= 1;
    return { next: next.item, release: [] };
  }

  /** Takes every waiting (not started) message out, e.g. to release them at shutdown. */
  drain(): T[] {
    const drained: T[] = [];
    for (const group of this.groups.values()) {
      drained.push(...group.waiting.splice(0).map((waiting) => waiting.item));
    }
    this.waitingCount = 0;
    return drained;
  }
}

function toSequence(sequenceNumber: string | undefined): bigint | undefined {
  if (sequenceNumber === undefined || !/^\d+$/.test(sequenceNumber)) return undefined;
  return BigInt(sequenceNumber);
}
