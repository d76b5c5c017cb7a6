import type { ArgumentsHost } from '@nestjs/common';
import type { ExternalExceptionFilterContext } from '@nestjs/core/exceptions/external-exception-filter-context';
import type { ExternalExceptionsHandler } from '@nestjs/core/exceptions/external-exceptions-handler';

/**
 * A view of Nest's exception filter context whose handlers run the user's filters exactly as
 * Nest does, but where no filter catches the error, rethrow it unchanged without Nest's
 * default `ExternalExceptionFilter` logging it at ERROR as "ExceptionsHandler": for bus
 * handlers the pipeline decides what the error means and logs the attempt once. Only the
 * bus's handlers get this view; the rest of the app (HTTP, other microservices) keeps Nest's
 * logging. Undefined when the installed Nest has no such context (the log then stays).
 */
export function withoutDefaultErrorLog(
  filters: unknown,
): ExternalExceptionFilterContext | undefined {
  if (!isFilterContext(filters)) return undefined;
  const view = Object.create(filters) as ExternalExceptionFilterContext;
  Object.defineProperty(view, 'create', {
    value: (...args: Parameters<ExternalExceptionFilterContext['create']>) => {
      const handler = filters.create(...args);
      return typeof handler.invokeCustomFilters === 'function' ? silenced(handler) : handler;
    },
  });
  return view;
}

function silenced(handler: ExternalExceptionsHandler): ExternalExceptionsHandler {
  Object.defineProperty(handler, 'next', {
    // Nest's `next()` without the default filter's log: a user filter's answer, else the error.
    value: (exception: Error, host: ArgumentsHost): Promise<unknown> => {
      const answer = handler.invokeCustomFilters(exception, host);
      if (answer) return answer;
      throw exception;
    },
  });
  return handler;
}

function isFilterContext(value: unknown): value is ExternalExceptionFilterContext {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { create?: unknown }).create === 'function'
  );
}
