import 'reflect-metadata';
import { stripVTControlCharacters } from 'node:util';
import { contender } from './contender-catalog';
import type { ContenderRequest, ContenderResult } from './contender.interface';
import { BenchRunClock } from './run-clock';

/**
 * One contender, one round, in a process of its own (forked by main.ts): receives its request
 * over IPC, runs it, sends its result back as soon as the clock stopped and exits, giving the
 * contender's shutdown a few seconds at most (shutdown is not part of any figure).
 */
function send(result: ContenderResult): Promise<void> {
  return new Promise((resolve) => process.send!(result, () => resolve()));
}

process.once('message', (request: ContenderRequest) => {
  void (async () => {
    const clock = new BenchRunClock(request.messages, request.capMs);
    let error: string | undefined;
    const run = (async () => {
      // Every contender starts with its broker's SDK loaded, as K1 and the plain loop do by
      // importing it (kafkajs alone takes about 70 ms to load here). Without this the library
      // and ServerKafka, which load the SDK when their consumer starts, would count that load
      // in their start-up and K1 would not. The library's own lazy loads (OpenTelemetry) stay
      // in its clock.
      if (request.kafka) await import('kafkajs');
      if (request.sqs) await import('@aws-sdk/client-sqs');
      const body = await contender(request.contender).load();
      await body(request, clock);
    })().catch((caught: unknown) => {
      // One line, without colours, bounded: it goes into the report's table.
      const text = caught instanceof Error ? caught.message : String(caught);
      error = stripVTControlCharacters(text).split('\n')[0].slice(0, 200);
      clock.stop();
    });
    await clock.finished;
    await Promise.race([run, new Promise((resolve) => setTimeout(resolve, 50))]);
    await send(clock.result(request.contender, error));
    await Promise.race([run, new Promise((resolve) => setTimeout(resolve, 3_000).unref())]);
    process.exit(0);
  })();
});
