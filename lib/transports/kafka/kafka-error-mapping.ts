import { KafkaAuthenticationError } from './errors/kafka-authentication.error';
import { KafkaCommitError } from './errors/kafka-commit.error';
import { KafkaConnectionError } from './errors/kafka-connection.error';
import { KafkaConsumerError } from './errors/kafka-consumer.error';
import { KafkaSendError } from './errors/kafka-send.error';
import { MessageBusError } from '../../errors/message-bus.error';

/** What an error message may say about the connection: never the password. */
export interface KafkaErrorContext {
  readonly brokers: readonly string[];
  readonly securityProtocol: string;
  readonly saslMechanism?: string;
  readonly userName?: string;
  /**
   * Strings that must not appear in a message (the password), replaced if kafkajs ever echoes
   * one. A function, so that inspecting the context never prints them.
   */
  readonly secrets: () => readonly string[];
}

interface KafkaJsErrorShape {
  readonly name?: unknown;
  readonly message?: unknown;
  readonly type?: unknown;
  readonly retriable?: unknown;
  readonly cause?: unknown;
}

const AUTHENTICATION_TYPES = new Set([
  'SASL_AUTHENTICATION_FAILED',
  'ILLEGAL_SASL_STATE',
  'UNSUPPORTED_SASL_MECHANISM',
]);
const CONNECTION_NAMES = new Set([
  'KafkaJSConnectionError',
  'KafkaJSConnectionClosedError',
  'KafkaJSNoBrokerAvailableError',
]);
const MAX_DETAIL = 300;
const NO_COMMON_STRATEGY =
  "the group's other members offer none of the strategies this consumer offers: set partitionAssigners (consumers.kafka[] or kafka) to include one of theirs, such as 'range' or 'roundrobin' (the Java, Rust and Python clients' defaults)";

/**
 * The authentication or connection failure inside a kafkajs error, if that is what it is:
 * those two mean the same whichever call met them, so every call reports them alike.
 */
export function toKafkaConnectFailure(
  error: unknown,
  context: KafkaErrorContext,
): MessageBusError | undefined {
  if (error instanceof MessageBusError) return error;
  const chain = causeChain(error);
  const auth = chain.find(
    (link) =>
      link.name === 'KafkaJSSASLAuthenticationError' || AUTHENTICATION_TYPES.has(String(link.type)),
  );
  if (auth) {
    return new KafkaAuthenticationError(
      {
        brokers: context.brokers,
        securityProtocol: context.securityProtocol,
        saslMechanism: context.saslMechanism ?? 'none',
        userName: context.userName ?? '',
        detail: detailOf(auth, context),
      },
      { cause: error },
    );
  }
  const connection = chain.find((link) => CONNECTION_NAMES.has(String(link.name)));
  if (connection) {
    return new KafkaConnectionError(
      {
        brokers: context.brokers,
        securityProtocol: context.securityProtocol,
        kafkaError: String(connection.name),
        detail: detailOf(connection, context),
      },
      { cause: error },
    );
  }
  return undefined;
}

/** A failure to connect a producer or admin client: authentication, or else a connection failure. */
export function toKafkaConnectError(error: unknown, context: KafkaErrorContext): MessageBusError {
  const connect = toKafkaConnectFailure(error, context);
  if (connect) return connect;
  const { top, root } = describe(error);
  return new KafkaConnectionError(
    {
      brokers: context.brokers,
      securityProtocol: context.securityProtocol,
      kafkaError: nameOf(top),
      detail: detailOf(root, context),
    },
    { cause: error },
  );
}

export function toKafkaSendError(
  error: unknown,
  topic: string,
  messageCount: number,
  context: KafkaErrorContext,
): MessageBusError {
  const connect = toKafkaConnectFailure(error, context);
  if (connect) return connect;
  const { top, typed, root } = describe(error);
  return new KafkaSendError(
    {
      topic,
      messageCount,
      kafkaError: nameOf(top),
      kafkaErrorType: typed ? String(typed.type) : undefined,
      retriable: root.retriable === true,
      detail: detailOf(root, context),
    },
    { cause: error },
  );
}

export function toKafkaCommitError(
  error: unknown,
  position: { topic: string; groupId: string; partition: number; offset: string },
  context: KafkaErrorContext,
): MessageBusError {
  const connect = toKafkaConnectFailure(error, context);
  if (connect) return connect;
  const { top, typed, root } = describe(error);
  return new KafkaCommitError(
    {
      ...position,
      kafkaError: nameOf(top),
      kafkaErrorType: typed ? String(typed.type) : undefined,
      detail: detailOf(root, context),
    },
    { cause: error },
  );
}

export function toKafkaConsumerError(
  error: unknown,
  topic: string,
  groupId: string,
  context: KafkaErrorContext,
): MessageBusError {
  const connect = toKafkaConnectFailure(error, context);
  if (connect) return connect;
  const { top, typed, root } = describe(error);
  const type = typed ? String(typed.type) : undefined;
  const detail = detailOf(root, context);
  return new KafkaConsumerError(
    {
      topic,
      groupId,
      kafkaError: nameOf(top),
      kafkaErrorType: type,
      detail:
        type === 'INCONSISTENT_GROUP_PROTOCOL'
          ? `${detail ?? type}; ${NO_COMMON_STRATEGY}`
          : detail,
    },
    { cause: error },
  );
}

function describe(error: unknown): {
  top: KafkaJsErrorShape;
  typed?: KafkaJsErrorShape;
  root: KafkaJsErrorShape;
} {
  const chain = causeChain(error);
  return {
    top: chain[0],
    typed: chain.find((link) => typeof link.type === 'string'),
    root: chain[chain.length - 1],
  };
}

/** The error and its causes (kafkajs wraps the real one in `KafkaJSNumberOfRetriesExceeded` and the like). */
function causeChain(error: unknown): KafkaJsErrorShape[] {
  const chain: KafkaJsErrorShape[] = [];
  let current: unknown = error;
  while (
    chain.length < 8 &&
    typeof current === 'object' &&
    current !== null &&
    !chain.includes(current)
  ) {
    chain.push(current);
    current = (current as KafkaJsErrorShape).cause;
  }
  return chain.length > 0 ? chain : [{ name: 'Error', message: String(error) }];
}

function nameOf(link: KafkaJsErrorShape): string {
  return typeof link.name === 'string' && link.name !== '' ? link.name : 'Error';
}

function detailOf(link: KafkaJsErrorShape, context: KafkaErrorContext): string | undefined {
  if (typeof link.message !== 'string' || link.message === '') return undefined;
  let text = link.message;
  for (const secret of context.secrets()) {
    if (secret) text = text.split(secret).join('[redacted]');
  }
  return text.length > MAX_DETAIL ? `${text.slice(0, MAX_DETAIL)}...` : text;
}
