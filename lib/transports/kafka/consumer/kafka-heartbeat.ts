/**
 * Heartbeats while a batch is being worked through, so that slow handlers and retry waits do
 * not let the group session expire (kafkajs itself heartbeats only between batches). kafkajs
 * sends one only when `intervalMs` has passed since the last, so ticking at half of it keeps
 * the cadence without doubling the requests. Returns the function that stops it.
 */
export function keepHeartbeating(
  heartbeat: () => Promise<void>,
  intervalMs: number,
  onError: (error: unknown) => void,
): () => void {
  const timer = setInterval(
    () => {
      heartbeat().catch(onError);
    },
    Math.max(50, Math.floor(intervalMs / 2)),
  );
  timer.unref();
  return () => clearInterval(timer);
}
