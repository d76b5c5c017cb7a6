import { Command, CommanderError } from 'commander';
import { MessageBusConfigurationError } from '../errors/message-bus-configuration.error';
import { RedriveOptionError } from '../redrive/errors/redrive-option.error';
import { CLI_EXIT_CODES } from './cli-exit-codes';
import { CliUsageError } from './cli-usage.error';
import { dlqCommand, type CliIo } from './dlq.command';

/** The `nestjs-message-bus` program. */
export function cliProgram(io: CliIo): Command {
  const program = new Command('nestjs-message-bus')
    .description('Operate the message bus of nestjs-message-bus.')
    .showHelpAfterError('(add --help for usage)')
    .configureOutput({
      writeOut: (text) => io.out(text.trimEnd()),
      writeErr: (text) => io.err(text.trimEnd()),
    })
    .exitOverride();
  program.addCommand(dlqCommand(io));
  // Subcommands report their own parse errors through the same override.
  for (const command of program.commands) {
    command.exitOverride().configureOutput({
      writeOut: (text) => io.out(text.trimEnd()),
      writeErr: (text) => io.err(text.trimEnd()),
    });
    for (const sub of command.commands) {
      sub
        .exitOverride()
        .showHelpAfterError('(add --help for usage)')
        .configureOutput({
          writeOut: (text) => io.out(text.trimEnd()),
          writeErr: (text) => io.err(text.trimEnd()),
        });
    }
  }
  return program;
}

/** Runs the program on `argv` (user arguments only) and resolves the exit code. */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  let exitCode: number = CLI_EXIT_CODES.ok;
  const withCode: CliIo = { ...io, setExitCode: (code) => (exitCode = code) };
  try {
    await cliProgram(withCode).parseAsync([...argv], { from: 'user' });
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version end through the override too, with code 0.
      return error.exitCode === 0 ? CLI_EXIT_CODES.ok : CLI_EXIT_CODES.usage;
    }
    if (
      error instanceof CliUsageError ||
      error instanceof RedriveOptionError ||
      error instanceof MessageBusConfigurationError
    ) {
      io.err(`error: ${error.message}`);
      return CLI_EXIT_CODES.usage;
    }
    io.err(`error: ${error instanceof Error ? error.message : String(error)}`);
    return CLI_EXIT_CODES.failed;
  }
}
