import { spawnSync } from 'node:child_process';

/**
 * Runs python3 with `args` (`['-c', script]`, or a file and its arguments) and `input` on its
 * standard input, and returns what it printed. The wire format is defined by what the Python
 * client writes, so some specs ask Python itself. No python3 is a failure, never a skip: the
 * machines this project runs on have it.
 */
export function runPython(args: readonly string[], input = ''): string {
  const result = spawnSync('python3', args, { input, encoding: 'utf8', timeout: 20_000 });
  if (result.error) throw new Error(`python3 could not run: ${result.error.message}`);
  if (result.status !== 0)
    throw new Error(`python3 exited with ${result.status}: ${result.stderr}`);
  return result.stdout;
}

/** `json.dumps(value)` with Python's defaults, for each value (sent as JSON, one per line back). */
export function pythonJsonDumps(values: readonly unknown[]): string[] {
  const script = [
    'import json, sys',
    'for value in json.loads(sys.stdin.read()):',
    '    sys.stdout.write(json.dumps(json.dumps(value)) + "\\n")',
  ].join('\n');
  // Each result is itself JSON-encoded so that any line break inside it survives the trip.
  return runPython(['-c', script], JSON.stringify(values))
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as string);
}
