#!/usr/bin/env node
import { runCli } from './cli.program';

/** `npx nestjs-message-bus ...`: the first SIGINT/SIGTERM stops after the message in hand, a second one at once. */
function main(): void {
  const controller = new AbortController();
  let stoppedBy: 'SIGINT' | 'SIGTERM' | undefined;
  const onSignal = (signal: 'SIGINT' | 'SIGTERM'): void => {
    if (stoppedBy !== undefined) process.exit(signal === 'SIGINT' ? 130 : 143);
    stoppedBy = signal;
    process.stderr.write(`\n${signal}: finishing the message in hand, then stopping\n`);
    controller.abort();
  };
  process.on('SIGINT', () => onSignal('SIGINT'));
  process.on('SIGTERM', () => onSignal('SIGTERM'));
  void runCli(process.argv.slice(2), {
    out: (line) => process.stdout.write(`${line}\n`),
    err: (line) => process.stderr.write(`${line}\n`),
    signal: controller.signal,
    stoppedBy: () => stoppedBy,
    setExitCode: () => undefined,
  }).then((code) => {
    process.exitCode = code;
  });
}

main();
