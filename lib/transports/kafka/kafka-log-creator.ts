import type { LogEntry, logCreator as KafkaJsLogCreator, logLevel } from 'kafkajs';
import type { KafkaLogLevel, KafkaLogSink } from './kafka-client-options.interface';

/**
 * kafkajs's `logLevel` values. Copied rather than imported so that building a log creator
 * does not load kafkajs (an optional peer); the type keeps each value equal to kafkajs's.
 */
const KafkaJsLogLevel: { readonly [Name in keyof typeof logLevel]: (typeof logLevel)[Name] } = {
  NOTHING: 0,
  ERROR: 1,
  WARN: 2,
  INFO: 4,
  DEBUG: 5,
};
type KafkaJsLogLevel = logLevel;

const TO_KAFKAJS: Record<KafkaLogLevel, KafkaJsLogLevel> = {
  nothing: KafkaJsLogLevel.NOTHING,
  error: KafkaJsLogLevel.ERROR,
  warn: KafkaJsLogLevel.WARN,
  info: KafkaJsLogLevel.INFO,
  debug: KafkaJsLogLevel.DEBUG,
};

/** Keys whose values are credentials whatever they hold. */
const SECRET_KEY =
  /pass(word)?|secret|token|sasl|credential|authori[sz]ation|private.?key|^key$|^cert$|^pfx$|^ca$/i;
const REDACTED = '[redacted]';
/** What every line built from a kafkajs entry starts with. */
export const KAFKAJS_LINE_PREFIX = '[kafkajs] ';
const MAX_DEPTH = 6;

export function toKafkaJsLogLevel(level: KafkaLogLevel): KafkaJsLogLevel {
  return TO_KAFKAJS[level];
}

/** A sink that writes one console line per entry (the default is Nest's `Logger`: `NestKafkaLogSink`). */
export const consoleKafkaLogSink: KafkaLogSink = {
  error: (message, context) => console.error(formatKafkaLogLine(message, context)),
  warn: (message, context) => console.warn(formatKafkaLogLine(message, context)),
  info: (message, context) => console.info(formatKafkaLogLine(message, context)),
  debug: (message, context) => console.debug(formatKafkaLogLine(message, context)),
};

/**
 * A kafkajs `logCreator` that sends entries at or above `level` to `sink`, as
 * `"[kafkajs] <namespace>: <message>"` plus the entry's fields; kafkajs's per-attempt errors
 * count as warnings (see `effectiveLevel`). Our own level check comes on
 * top of kafkajs's, so `KAFKAJS_LOG_LEVEL` in the environment cannot raise it. Every string
 * equal to or containing one of `secrets` is replaced, and so is any field named like a
 * credential, so a password never reaches a log even at debug level.
 */
export function createKafkaLogCreator(
  level: KafkaLogLevel,
  sink: KafkaLogSink,
  secrets: readonly string[] = [],
): KafkaJsLogCreator {
  const threshold = TO_KAFKAJS[level];
  const hidden = secrets.filter((secret) => secret.length > 0);
  return () =>
    ({ namespace, level: entryLevel, log }: LogEntry) => {
      const level = effectiveLevel(namespace, entryLevel, log.message);
      if (threshold === KafkaJsLogLevel.NOTHING || level > threshold) return;
      const { message, timestamp: _timestamp, logger: _logger, ...fields } = log;
      const line = `${KAFKAJS_LINE_PREFIX}${namespace ? `${namespace}: ` : ''}${redactText(String(message), hidden)}`;
      const context = redactValue(fields, hidden, 0) as Record<string, unknown>;
      try {
        write(sink, level, line, context);
      } catch {
        // A broken sink must not break the client that is logging.
      }
    };
}

/**
 * kafkajs logs every error answer of a broker ("Response Heartbeat ...: rebalance in progress")
 * and every failed connection attempt at error level, before it retries. Those become warnings:
 * a failure that outlasts the retries is thrown to the caller as a typed error anyway, and
 * what stays at error level (a consumer crash, a restart) is what nobody else reports.
 */
function effectiveLevel(
  namespace: string,
  level: KafkaJsLogLevel,
  message: unknown,
): KafkaJsLogLevel {
  if (level !== KafkaJsLogLevel.ERROR || typeof message !== 'string') return level;
  const retried =
    (namespace === 'Connection' &&
      (message.startsWith('Response ') || message.startsWith('Connection error'))) ||
    (namespace === 'BrokerPool' && message.startsWith('Failed to connect to seed broker'));
  return retried ? KafkaJsLogLevel.WARN : level;
}

function write(
  sink: KafkaLogSink,
  level: KafkaJsLogLevel,
  line: string,
  context: Record<string, unknown>,
): void {
  if (level <= KafkaJsLogLevel.ERROR) sink.error(line, context);
  else if (level === KafkaJsLogLevel.WARN) sink.warn(line, context);
  else if (level === KafkaJsLogLevel.INFO) sink.info(line, context);
  else sink.debug(line, context);
}

/** A copy of `value` safe to log: credentials and known secrets replaced, depth bounded. */
export function redactValue(value: unknown, secrets: readonly string[], depth = 0): unknown {
  if (typeof value === 'string') return redactText(value, secrets);
  if (value === null || typeof value !== 'object') return value;
  if (depth >= MAX_DEPTH) return '[…]';
  if (value instanceof Error) {
    return { name: value.name, message: redactText(value.message, secrets) };
  }
  if (Buffer.isBuffer(value) || value instanceof Uint8Array) return `<${value.byteLength} bytes>`;
  if (Array.isArray(value)) return value.map((item) => redactValue(item, secrets, depth + 1));
  const copy: Record<string, unknown> = {};
  for (const [key, entry] of Object.entries(value)) {
    copy[key] =
      SECRET_KEY.test(key) && entry !== undefined && entry !== null
        ? REDACTED
        : redactValue(entry, secrets, depth + 1);
  }
  return copy;
}

function redactText(text: string, secrets: readonly string[]): string {
  let result = text;
  for (const secret of secrets) {
    if (result.includes(secret)) result = result.split(secret).join(REDACTED);
  }
  return result;
}

/** `message`, then the entry's fields as JSON when it has any: one line for a text log. */
export function formatKafkaLogLine(
  message: string,
  context: Readonly<Record<string, unknown>> | undefined,
): string {
  if (!context || Object.keys(context).length === 0) return message;
  try {
    return `${message} ${JSON.stringify(context)}`;
  } catch {
    return message;
  }
}
