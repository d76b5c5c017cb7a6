import type { LoggerService } from '@nestjs/common';

export interface LoggedLine {
  readonly level: string;
  readonly message: string;
  /** Nest passes the context as the last parameter. */
  readonly context: unknown;
}

/** A Nest `LoggerService` that keeps every line with its level and context, for asserting what was (not) logged. */
export function recordingNestLogger(): LoggerService & { lines: LoggedLine[] } {
  const lines: LoggedLine[] = [];
  const keep =
    (level: string) =>
    (message: unknown, ...params: unknown[]) =>
      lines.push({ level, message: String(message), context: params.at(-1) });
  return {
    lines,
    error: keep('error'),
    warn: keep('warn'),
    log: keep('log'),
    debug: keep('debug'),
    verbose: keep('verbose'),
    fatal: keep('fatal'),
  };
}
