import { InvalidArgumentError, type Command } from 'commander';

export interface RuntimeFlags {
  threads?: number;
  deterministic?: boolean;
}

/** Adds the onnxruntime options every command that runs a model accepts. */
export function runtimeFlags(cmd: Command): Command {
  return cmd
    .option('--threads <n>', 'threads per operator (default: all cores)', integerOption('--threads', 1))
    .option('--deterministic', 'bit-identical results from run to run (one thread; slower)');
}

/** A commander parser for integer options with a lower bound. */
export function integerOption(flag: string, min: number): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < min) throw new InvalidArgumentError(`${flag} must be an integer >= ${min}`);
    return n;
  };
}

/** Parses repeated `name=value` integer pairs (for --dim). */
export function collectDims(value: string, previous: Record<string, number> = {}): Record<string, number> {
  const eq = value.lastIndexOf('=');
  const n = Number(value.slice(eq + 1));
  if (eq <= 0 || !Number.isInteger(n) || n < 1) throw new InvalidArgumentError(`--dim takes name=size with a positive integer size, got "${value}"`);
  return { ...previous, [value.slice(0, eq)]: n };
}
