import { Command, CommanderError } from 'commander';
import { GlassboxError, errorMessage } from '../util/errors.js';
import { registerAttribute } from './commands/attribute.js';
import { registerDemo } from './commands/demo.js';
import { registerGrad } from './commands/grad.js';
import { registerGradcheck } from './commands/gradcheck.js';
import { registerInformation } from './commands/information.js';
import { registerInspect } from './commands/inspect.js';
import { registerRun } from './commands/run.js';
import { registerServe } from './commands/serve.js';
import { registerTrain } from './commands/train.js';
import { registerStoreCommands } from './commands/runs.js';
import { processIO, type CliIO } from './context.js';

export const VERSION = '0.1.0';

/** Builds the command tree. Tests parse with it directly; nothing here touches the process. */
export function buildProgram(io: CliIO): Command {
  const program = new Command('glassbox')
    .description('Open the black box of deep networks: inspect, run, differentiate and explain ONNX models.')
    .version(VERSION)
    .option('--debug', 'show stack traces for errors')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride()
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr });
  registerInspect(program, io);
  registerRun(program, io);
  registerGrad(program, io);
  registerGradcheck(program, io);
  registerAttribute(program, io);
  registerInformation(program, io);
  registerDemo(program, io);
  registerTrain(program, io);
  registerStoreCommands(program, io);
  registerServe(program, io);
  for (const cmd of program.commands) cmd.exitOverride().configureOutput({ writeOut: io.stdout, writeErr: io.stderr });
  return program;
}

/**
 * Runs the CLI and returns the exit code: 0 on success, 1 when the work failed (a one-line
 * message on stderr), 2 for usage errors. Stack traces only with --debug.
 */
export async function main(argv: readonly string[], io: CliIO = processIO()): Promise<number> {
  const debug = argv.includes('--debug');
  const program = buildProgram(io);
  try {
    await program.parseAsync(argv as string[], { from: 'user' });
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Commander has printed its own message (or help/version output).
      return error.exitCode === 0 || error.code === 'commander.helpDisplayed' || error.code === 'commander.version' ? 0 : 2;
    }
    const known = error instanceof GlassboxError;
    io.stderr(`glassbox: ${known ? '' : 'internal error: '}${errorMessage(error)}\n`);
    if (debug && error instanceof Error) io.stderr(`${error.stack ?? ''}\n`);
    else if (!known) io.stderr('(run again with --debug for the stack trace, and please report it)\n');
    return 1;
  }
}
