import { Logger, type LoggerService } from '@nestjs/common';
import type { KafkaLogSink } from './kafka-client-options.interface';
import { formatKafkaLogLine, KAFKAJS_LINE_PREFIX } from './kafka-log-creator';

/** The Nest logger context of kafkajs's own lines, as `ServerKafka` gives them one of their own. */
export const KAFKAJS_LOG_CONTEXT = 'KafkaJS';

/**
 * The default kafkajs log sink: Nest's `Logger` with context `KafkaJS`, so kafkajs's lines go
 * wherever the app's logger (`app.useLogger(...)`, `NestFactory.create(..., { logger })`) sends
 * its own. kafkajs's info becomes Nest's `log`; the other levels keep their names. What reaches
 * a sink is already redacted by the log creator.
 */
export class NestKafkaLogSink implements KafkaLogSink {
  constructor(private readonly logger: LoggerService = new Logger(KAFKAJS_LOG_CONTEXT)) {}

  error(message: string, context?: Readonly<Record<string, unknown>>): void {
    this.logger.error(this.text(message, context));
  }

  warn(message: string, context?: Readonly<Record<string, unknown>>): void {
    this.logger.warn(this.text(message, context));
  }

  info(message: string, context?: Readonly<Record<string, unknown>>): void {
    this.logger.log(this.text(message, context));
  }

  debug(message: string, context?: Readonly<Record<string, unknown>>): void {
    this.logger.debug?.(this.text(message, context));
  }

  /** The logger context already says kafkajs, so the line's own prefix would say it twice. */
  private text(message: string, context?: Readonly<Record<string, unknown>>): string {
    const line = message.startsWith(KAFKAJS_LINE_PREFIX)
      ? message.slice(KAFKAJS_LINE_PREFIX.length)
      : message;
    return formatKafkaLogLine(line, context);
  }
}
