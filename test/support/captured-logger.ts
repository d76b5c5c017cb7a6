import type { LoggerService } from '@nestjs/common';

/** One line a Nest app logged, as its LoggerService received it. */
export interface CapturedLine {
  readonly level: 'log' | 'error' | 'warn' | 'debug' | 'verbose' | 'fatal';
  readonly text: string;
}

/** A LoggerService that keeps every line (for `app.useLogger`), so that a suite can check what was written. */
export class CapturedLogger implements LoggerService {
  readonly lines: CapturedLine[] = [];

  log(message: unknown): void {
    this.keep('log', message);
  }
  error(message: unknown, ...rest: unknown[]): void {
    // Nest passes a stack trace as the next argument: it is part of what gets written.
    this.keep('error', [message, ...rest.filter((part) => typeof part === 'string')].join('\n'));
  }
  warn(message: unknown): void {
    this.keep('warn', message);
  }
  debug(message: unknown): void {
    this.keep('debug', message);
  }
  verbose(message: unknown): void {
    this.keep('verbose', message);
  }
  fatal(message: unknown): void {
    this.keep('fatal', message);
  }

  /** The lines that contain `text`. */
  containing(text: string): CapturedLine[] {
    return this.lines.filter((line) => line.text.includes(text));
  }

  private keep(level: CapturedLine['level'], message: unknown): void {
    this.lines.push({ level, text: typeof message === 'string' ? message : String(message) });
  }
}
