/**
 * What a consumer does when its broker cannot be reached as the app starts (`startup`):
 * - `'keep-retrying'` (default): the app starts; the consumer stays `reconnecting`, with the
 *   reason in `lastError`, retries with backoff and starts consuming once the broker answers.
 * - `'fail-fast'`: the app's bootstrap rejects with the error, naming the broker or queue.
 * Either way a setting no retry can cure (a queue that does not exist, refused or missing
 * credentials, a package not installed) is an error, not a retry.
 */
export type StartupPolicy = 'fail-fast' | 'keep-retrying';

export const STARTUP_POLICIES: readonly StartupPolicy[] = ['fail-fast', 'keep-retrying'];
