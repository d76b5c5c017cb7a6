import type { LoggerService } from '@nestjs/common';

/** One line a Nest app logged, as its LoggerService received it. */
export interface CapturedLine {
  readonly level: 'log' | 'error' | 'warn' | 'debug' | 'verbose' | 'fatal';
  /** The message; for `error`, followed by the stack trace Nest passed with it. */
  readonly text: string;
  /** Nest passes the logger's context (the class name) as the last parameter; undefined without one. */
  readonly context?: unknown;
}

/**
 * A LoggerService that keeps every line with its level and context (for `app.useLogger`,
 * `Logger.overrideLogger` or `NestFactory.create(..., { logger })`), so that a suite can check
 * what was, and what was not, written.
 */
export class CapturedLogger implements LoggerService {
  readonly lines: CapturedLine[] = [];

  log(message: unknown, ...params: unknown[]): void {
    this.keep('log', message, params);
  }
  error(message: unknown, ...params: unknown[]): void {
    this.keep('error', message, params);
  }
  warn(message: unknown, ...params: unknown[]): void {
    this.keep('warn', message, params);
  }
  debug(message: unknown, ...params: unknown[]): void {
    this.keep('debug', message, params);
  }
  verbose(message: unknown, ...params: unknown[]): void {
    this.keep('verbose', message, params);
  }
  fatal(message: unknown, ...params: unknown[]): void {
    this.keep('fatal', message, params);
  }

  /** The lines that contain `text`. */
  containing(text: string): CapturedLine[] {
    return this.lines.filter((line) => line.text.includes(text));
  }

  private keep(level: CapturedLine['level'], message: unknown, params: unknown[]): void {
    const text = typeof message === 'string' ? message : String(message);
    // Nest's Logger puts its context last; `error` passes the stack trace before it, and the
    // trace is part of what gets written.
    const stack =
      level === 'error' ? params.slice(0, -1).filter((part) => typeof part === 'string') : [];
    const line: CapturedLine = { level, text: [text, ...stack].join('\n') };
    this.lines.push(params.length > 0 ? { ...line, context: params.at(-1) } : line);
  }
}
