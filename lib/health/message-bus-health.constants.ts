/** The key of the indicator's entry in a terminus result unless the app names another. */
export const MESSAGE_BUS_HEALTH_KEY = 'message-bus';

/** How long a readiness check waits for each broker before calling it unreachable. */
export const DEFAULT_BROKER_TIMEOUT_MS = 2_000;

/** The longest broker timeout a readiness check accepts: probes behind a longer one miss their deadline. */
export const MAX_BROKER_TIMEOUT_MS = 60_000;
