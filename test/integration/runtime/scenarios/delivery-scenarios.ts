import {
  DeadLetter,
  RetryLater,
  type RejectionReason,
  type RetryOptions,
} from 'nestjs-message-bus';
import { REFUSE_MARK, type HandlerHost, type ScenarioBehaviour } from './scenario-handlers';
import {
  editedPayment,
  handledMessage,
  unhandledEvent,
  unhandledInstruction,
} from './scenario-messages';

/**
 * The delivery scenarios of issue 9, with the outcome each must have: written once, and
 * asserted the same on every transport (memory, SQS, Kafka) by delivery-scenarios.integration.spec.ts.
 */

/** Every consumer of the scenario apps retries like this. */
export const SCENARIO_RETRY: RetryOptions = { maxAttempts: 2, initialDelayMs: 100 };

/** What `RetryLater` asks for in scenario 9: longer than the backoff, so the two can be told apart. */
export const RETRY_LATER_MS = 1_500;

/**
 * The queue or topic a scenario's message is sent to: `main` with the default `unhandled`
 * setting, `strict` with `unhandled: 'dead-letter'`. Both have a dead-letter destination.
 */
export type SourceRole = 'main' | 'strict';

/** The reason code a dead letter's reason starts with. */
export type ReasonCode = 'handler-error' | RejectionReason;

export type ExpectedSettlement =
  | { readonly action: 'acknowledge' }
  | { readonly action: 'dead-letter'; readonly reason: ReasonCode };

export interface ScenarioExpectation {
  /** The attempt number of each handler call, in order; empty: the handler is never called. */
  readonly attempts: readonly number[];
  readonly settlement: ExpectedSettlement;
  /**
   * Least time from the first handler call to the second: the delay the retry waits, as the
   * transport can wait it (SQS rounds a delay up to whole seconds).
   */
  readonly retryAfterAtLeastMs?: number;
}

export interface DeliveryScenario {
  readonly id: string;
  readonly title: string;
  /** Run once per host, each with a message of its own; empty when no handler is reached. */
  readonly hosts: readonly HandlerHost[];
  readonly source: SourceRole;
  /** The exact text sent; `tag` is unique to the case and appears in it. */
  readonly body: (tag: string, host: HandlerHost) => string;
  readonly behaviour?: ScenarioBehaviour;
  readonly expected: ScenarioExpectation;
}

const BOTH_HOSTS: readonly HandlerHost[] = ['provider', 'controller'];
const acknowledged: ExpectedSettlement = { action: 'acknowledge' };
const deadLettered = (reason: ReasonCode): ExpectedSettlement => ({
  action: 'dead-letter',
  reason,
});

export const DELIVERY_SCENARIOS: readonly DeliveryScenario[] = [
  {
    id: 'S01',
    title: 'handled',
    hosts: BOTH_HOSTS,
    source: 'main',
    body: (tag, host) => handledMessage(host, tag),
    expected: { attempts: [1], settlement: acknowledged },
  },
  {
    id: 'S02',
    title: 'retried then handled',
    hosts: BOTH_HOSTS,
    source: 'main',
    body: (tag, host) => handledMessage(host, tag),
    behaviour: (attempt) => {
      if (attempt === 1) throw new Error('the ledger is busy on attempt 1');
    },
    expected: {
      attempts: [1, 2],
      settlement: acknowledged,
      // The backoff jitters the upper half of the delay: at least half of initialDelayMs.
      retryAfterAtLeastMs: (SCENARIO_RETRY.initialDelayMs as number) / 2,
    },
  },
  {
    id: 'S03',
    title: 'dead-lettered after retry.maxAttempts (2)',
    hosts: BOTH_HOSTS,
    source: 'main',
    body: (tag, host) => handledMessage(host, tag),
    behaviour: () => {
      throw new Error('the ledger is down');
    },
    expected: { attempts: [1, 2], settlement: deadLettered('handler-error') },
  },
  {
    id: 'S04a',
    title: 'invalid: raw text, not JSON',
    hosts: [],
    source: 'main',
    body: (tag) => `this is not JSON (${tag})`,
    expected: { attempts: [], settlement: deadLettered('invalid-message') },
  },
  {
    id: 'S04b',
    title: 'invalid: an envelope missing a required payload field (currency)',
    hosts: [],
    source: 'main',
    body: (tag) => editedPayment(tag, (wire) => delete wire.payload.currency),
    expected: { attempts: [], settlement: deadLettered('invalid-message') },
  },
  {
    id: 'S05',
    title: 'unknown type',
    hosts: [],
    source: 'main',
    body: (tag) =>
      editedPayment(tag, (wire) => (wire.meta_data.instruction_type = 'NOT_A_BUS_TYPE')),
    expected: { attempts: [], settlement: deadLettered('unknown-type') },
  },
  {
    id: 'S06a',
    title: 'unhandled event, default unhandled setting: acknowledged',
    hosts: [],
    source: 'main',
    body: (tag) => unhandledEvent(tag),
    expected: { attempts: [], settlement: acknowledged },
  },
  {
    id: 'S06b',
    title: 'unhandled instruction, default unhandled setting: no-handler',
    hosts: [],
    source: 'main',
    body: (tag) => unhandledInstruction(tag),
    expected: { attempts: [], settlement: deadLettered('no-handler') },
  },
  {
    id: 'S06c',
    title: "unhandled event on a consumer with unhandled: 'dead-letter': no-handler",
    hosts: [],
    source: 'strict',
    body: (tag) => unhandledEvent(tag),
    expected: { attempts: [], settlement: deadLettered('no-handler') },
  },
  {
    id: 'S07',
    title: 'refused by a guard on the handler',
    hosts: BOTH_HOSTS,
    source: 'main',
    body: (tag, host) => handledMessage(host, `${tag}${REFUSE_MARK}`),
    expected: { attempts: [], settlement: deadLettered('forbidden') },
  },
  {
    id: 'S08',
    title: 'the handler throws DeadLetter',
    hosts: BOTH_HOSTS,
    source: 'main',
    body: (tag, host) => handledMessage(host, tag),
    behaviour: () => {
      throw new DeadLetter('the account is closed');
    },
    expected: { attempts: [1], settlement: deadLettered('dead-letter-requested') },
  },
  {
    id: 'S09',
    title: `the handler throws RetryLater(${RETRY_LATER_MS}) once`,
    hosts: BOTH_HOSTS,
    source: 'main',
    body: (tag, host) => handledMessage(host, tag),
    behaviour: (attempt) => {
      if (attempt === 1) throw new RetryLater(RETRY_LATER_MS);
    },
    expected: {
      attempts: [1, 2],
      settlement: acknowledged,
      retryAfterAtLeastMs: RETRY_LATER_MS,
    },
  },
];

/** One message of the run: a scenario on one host (or on none), its tag and its text. */
export interface ScenarioCase {
  readonly scenario: DeliveryScenario;
  readonly host?: HandlerHost;
  readonly tag: string;
  readonly body: string;
  /** Its position in the run; spreads the cases over Kafka partitions and memory keys. */
  readonly lane: number;
}

export function scenarioCases(): ScenarioCase[] {
  const cases: Array<Omit<ScenarioCase, 'lane'>> = [];
  for (const scenario of DELIVERY_SCENARIOS) {
    if (scenario.hosts.length === 0) {
      const tag = `${scenario.id}-none`;
      cases.push({ scenario, tag, body: scenario.body(tag, 'provider') });
    }
    for (const host of scenario.hosts) {
      const tag = `${scenario.id}-${host}`;
      cases.push({ scenario, host, tag, body: scenario.body(tag, host) });
    }
  }
  return cases.map((entry, lane) => ({ ...entry, lane }));
}

/**
 * Scenario 10, shutdown with work in flight: a handler that takes `handlerMs` is running on
 * each host when `app.close()` is called with `shutdownTimeoutMs`.
 */
export interface ShutdownScenario {
  readonly id: string;
  readonly title: string;
  readonly shutdownTimeoutMs: number;
  readonly handlerMs: number;
  readonly expected: {
    /** The running handlers finished before `close()` returned. */
    readonly finishedBeforeClose: boolean;
    /** The message was acknowledged by the app that ran it. */
    readonly acknowledged: boolean;
    /** The next consumer of the same queue / topic and group gets it again. */
    readonly deliveredAgain: boolean;
  };
}

export const SHUTDOWN_SCENARIOS: readonly ShutdownScenario[] = [
  {
    id: 'S10a',
    title: 'shutdownTimeoutMs long enough: the handler finishes and its message is acknowledged',
    shutdownTimeoutMs: 10_000,
    handlerMs: 1_500,
    expected: { finishedBeforeClose: true, acknowledged: true, deliveredAgain: false },
  },
  {
    id: 'S10b',
    title: 'shutdownTimeoutMs too short: the message is not acknowledged and is delivered again',
    shutdownTimeoutMs: 100,
    handlerMs: 1_500,
    expected: { finishedBeforeClose: false, acknowledged: false, deliveredAgain: true },
  },
];
