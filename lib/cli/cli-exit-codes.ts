/** How `nestjs-message-bus` ends, for scripts that run it. */
export const CLI_EXIT_CODES = {
  ok: 0,
  /** Some dead letters could not be redriven, or the broker could not be reached. */
  failed: 1,
  /** A flag or argument is wrong: nothing was read. */
  usage: 2,
  /** Stopped by SIGINT / SIGTERM after the dead letter in hand (128 + signal number). */
  interrupted: { SIGINT: 130, SIGTERM: 143 },
} as const;
