import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { brokerVariable } from '../../support/broker-environment';
import { spawnJavaPeer } from '../../support/java-peer';

/** The other clients a mixed consumer group is tried with. */
export type PeerKind = 'java' | 'kcat' | 'kafka-python';

/** A standard strategy a peer offers: the Java peer offers one, kcat and kafka-python both. */
export type PeerStrategy = 'range' | 'roundrobin';

/** One record a member handled. */
export interface HandledRecord {
  readonly partition: number;
  readonly offset: number;
}

const JAVA_SOURCE = resolve(__dirname, 'peers/GroupConsumer.java');
const PYTHON_SOURCE = resolve(__dirname, 'peers/kafka_python_group_consumer.py');
const LEAVE_TIMEOUT_MS = 20_000;
const running = new Set<GroupPeer>();

/** The Python of the virtualenv brokers.sh fills (moto, boto3 and kafka-python). */
export function peerPython(): string {
  const cache = process.env.MESSAGE_BUS_CACHE ?? join(homedir(), '.cache', 'nestjs-message-bus');
  const python = join(cache, 'moto-venv', 'bin', 'python');
  if (!existsSync(python)) {
    throw new Error(`${python} is missing: run \`npm run brokers:up\` (it installs kafka-python)`);
  }
  return python;
}

/**
 * Another client as a member of a consumer group, in a child process: the official Java
 * consumer (peers/GroupConsumer.java), kcat in `-G` mode (librdkafka, offering its default
 * range,roundrobin) or kafka-python (peers/kafka_python_group_consumer.py, its default range,
 * roundrobin). Each prints the partitions it owns after every rebalance and each record it
 * handled, read here as they come.
 */
export class GroupPeer {
  /** The topic's partitions the peer owns since its last rebalance; undefined before its first. */
  assigned?: readonly number[];
  readonly handled: HandledRecord[] = [];
  private readonly output: string[] = [];
  private readonly exited: Promise<void>;
  private exitCode?: number | null;

  private constructor(
    readonly kind: PeerKind,
    private readonly child: ChildProcess,
  ) {
    running.add(this);
    let pending = { stdout: '', stderr: '' };
    const read = (stream: 'stdout' | 'stderr') => (chunk: Buffer) => {
      const text = pending[stream] + chunk.toString('utf8');
      const lines = text.split('\n');
      pending = { ...pending, [stream]: lines.pop() ?? '' };
      for (const line of lines) this.onLine(line);
    };
    child.stdout?.on('data', read('stdout'));
    child.stderr?.on('data', read('stderr'));
    this.exited = new Promise((resolveExit) =>
      child.on('close', (code) => {
        this.exitCode = code;
        running.delete(this);
        resolveExit();
      }),
    );
  }

  static async start(
    kind: PeerKind,
    options: { topic: string; groupId: string; strategy?: PeerStrategy },
  ): Promise<GroupPeer> {
    const bootstrap = brokerVariable('KAFKA_BOOTSTRAP_SERVERS');
    const { topic, groupId } = options;
    switch (kind) {
      case 'java':
        return new GroupPeer(
          kind,
          await spawnJavaPeer(JAVA_SOURCE, 'GroupConsumer', [
            bootstrap,
            topic,
            groupId,
            options.strategy ?? 'range',
          ]),
        );
      case 'kafka-python':
        return new GroupPeer(
          kind,
          spawn(peerPython(), ['-u', PYTHON_SOURCE, bootstrap, topic, groupId], {
            stdio: ['pipe', 'pipe', 'pipe'],
          }),
        );
      case 'kcat':
        return new GroupPeer(
          kind,
          spawn(
            'kcat',
            [
              '-b',
              bootstrap,
              '-G',
              groupId,
              topic,
              '-u',
              '-f',
              'record:%p:%o:%s\n',
              '-X',
              `partition.assignment.strategy=${options.strategy ?? 'range,roundrobin'}`,
              '-X',
              'auto.offset.reset=earliest',
              '-X',
              'session.timeout.ms=6000',
              '-X',
              'heartbeat.interval.ms=300',
              '-X',
              'auto.commit.interval.ms=200',
            ],
            { stdio: ['pipe', 'pipe', 'pipe'] },
          ),
        );
    }
  }

  /** Whether the process still runs. */
  get alive(): boolean {
    return this.exitCode === undefined;
  }

  /** The peer's last lines of output, for a failure message. */
  tail(lines = 15): string {
    return `${this.kind} peer said:\n${this.output.slice(-lines).join('\n')}`;
  }

  /** Leaves the group the way the client does on shutdown (commit, LeaveGroup), then exits. */
  async leave(): Promise<void> {
    if (!this.alive) return;
    // kcat leaves on a signal; the two peer programs when their input ends.
    if (this.kind === 'kcat') this.child.kill('SIGINT');
    else this.child.stdin?.end();
    const timer = setTimeout(() => this.child.kill('SIGKILL'), LEAVE_TIMEOUT_MS);
    await this.exited;
    clearTimeout(timer);
  }

  /** Kills the process at once (test clean-up). */
  async kill(): Promise<void> {
    if (!this.alive) return;
    this.child.kill('SIGKILL');
    await this.exited;
  }

  private onLine(line: string): void {
    this.output.push(line);
    if (this.output.length > 200) this.output.shift();
    const record = /^record:(\d+):(\d+):/.exec(line);
    if (record) {
      this.handled.push({ partition: Number(record[1]), offset: Number(record[2]) });
      return;
    }
    const assigned = /^assigned:([\d,]*)$/.exec(line);
    if (assigned) {
      this.assigned = assigned[1] === '' ? [] : assigned[1].split(',').map(Number);
      return;
    }
    // kcat (stderr): "% Group g rebalanced (memberid …): assigned: t [0], t [3]" or "revoked: …".
    if (/rebalanced.*: assigned: /.test(line)) {
      const list = line.slice(line.indexOf(': assigned: '));
      this.assigned = [...list.matchAll(/\[(\d+)\]/g)].map((match) => Number(match[1]));
    } else if (/rebalanced.*: revoked: /.test(line)) {
      this.assigned = [];
    }
  }
}

/** Kills every peer still running (afterEach). */
export async function killAllPeers(): Promise<void> {
  await Promise.all([...running].map((peer) => peer.kill()));
}
