/**
 * Base class of every error this library throws, so that callers can tell
 * bus failures apart from their own with one `instanceof`.
 */
export class MessageBusError extends Error {
  override readonly name: string = 'MessageBusError';

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}
