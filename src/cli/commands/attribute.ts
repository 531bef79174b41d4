import { InvalidArgumentError, Option, type Command } from 'commander';
import { configureMethod, METHODS, METHOD_NAMES } from '../../attribution/methods.js';
import { INTEGRATION_METHODS } from '../../attribution/util/quadrature.js';
import { GlassboxError } from '../../util/errors.js';
import type { CliIO } from '../context.js';
import { resolveModel } from '../../explain/model-ref.js';
import { writeJson } from '../output.js';
import { progressBar } from '../progress.js';
import type { ExplainOptions } from '../../explain/params.js';
import { explain } from '../../explain/explain.js';
import { explanationHtml, explanationJson, explanationPng } from '../../explain/explanation.js';
import { writeFileAtomic } from '../../onnx/io.js';
import { printTerminal } from '../attribute/terminal.js';
import { integerOption, runtimeFlags, type RuntimeFlags } from './shared.js';
import { STORE_OPTION } from './runs.js';

interface Flags extends ExplainOptions, RuntimeFlags {
  method: string[];
  layer?: string;
  input?: string[];
  image?: string;
  text?: string;
  example?: number;
  tokenizer?: string;
  embedding?: string;
  output?: string;
  store: string;
  json?: string | boolean;
  html?: string;
  png?: string;
  color?: boolean;
  memoryBudget?: number;
}

export function registerAttribute(program: Command, io: CliIO): void {
  const cmd = program
    .command('attribute')
    .description('explain a prediction: which parts of the input made the model decide (Captum\'s methods)')
    .argument('<model>', 'an ONNX model file, or a run from the store: <run>[:<step>|:latest]')
    .requiredOption('-m, --method <names>', `Captum's method in kebab case, or several separated by commas (drawn side by side): ${METHOD_NAMES.join(', ')}`, methodNames)
    .option('-i, --input <spec...>', 'the input as [name=]file.json (or inline JSON); repeat for several model inputs')
    .option('--image <file>', 'a PNG/JPEG/WebP image, resized to the model\'s input')
    .option('--text <sentence>', 'a sentence for a text model (with --tokenizer, or a run from the store)')
    .option('--example <i>', 'test example i of the run\'s dataset', integerOption('--example', 0))
    .option('--tokenizer <file>', 'a Hugging Face tokenizer.json for --text')
    .option('-t, --target <k>', 'the class to explain: an index or a class name, or one per input row (k1,k2,...); default: the predicted class')
    .option('--output <name>', 'the model output to explain (default: the first)')
    .option('--baseline <b>', 'zeros, a number, a tensor file; for text: pad (default), mask or token:<id>')
    .option('--steps <n>', 'integration steps (n_steps; default 50)', integerOption('--steps', 1))
    .addOption(new Option('--ig-method <name>', 'how the path integral is approximated (default gausslegendre)').choices([...INTEGRATION_METHODS]))
    .option('--layer <tensor>', 'the layer of a layer or neuron method (glassbox inspect lists the tensors)')
    .option('--no-abs', 'saliency: keep the gradient\'s sign')
    .option('--window <dims>', 'occlusion: the sliding window, one extent per input dim after the batch dim (e.g. 1,4,4)', intList('--window'))
    .option('--strides <dims>', 'occlusion: the window\'s steps (one number, or one per dim)', intList('--strides'))
    .option('--feature-mask <file>', 'perturbation methods: a tensor of feature ids grouping input elements (text: one feature per token by default)')
    .option('--samples <n>', 'n_samples of the sampling methods (GradientSHAP, Shapley sampling, KernelSHAP, LIME)', integerOption('--samples', 1))
    .addOption(new Option('--nt-type <type>', 'wrap a gradient method in NoiseTunnel').choices(['smoothgrad', 'smoothgrad_sq', 'vargrad']))
    .option('--nt-samples <n>', 'NoiseTunnel samples (default 5)', integerOption('--nt-samples', 1))
    .option('--stdevs <s>', 'standard deviation of the noise (NoiseTunnel, GradientSHAP)', positiveNumber('--stdevs'))
    .option('--seed <n>', 'seed of the sampling methods and the noise', integerOption('--seed', 0))
    .option('--neuron <index>', 'neuron methods: the neuron\'s index within a row of the layer (flat, or i,j,...)', intList('--neuron'))
    .addOption(new Option('--upsample <mode>', 'Grad-CAM: bring the map to the input\'s size').choices(['nearest', 'bilinear']))
    .option('--relu-attributions', 'Grad-CAM: ReLU on the map')
    .option('--no-delta', 'skip the convergence delta (IG, DeepLIFT, GradientSHAP, conductance)')
    .option('--internal-batch-size <n>', 'rows per internal run (default: as many as fit the memory budget)', integerOption('--internal-batch-size', 1))
    .option('--memory-budget <mb>', 'MiB one internal run may use (default 512)', integerOption('--memory-budget', 16))
    .option('--embedding <tensor>', 'the tensor to attribute to instead of the model\'s input (a text model\'s embedding output)')
    .option('--json [file]', 'write {method, params, target, attribution, delta?} to stdout, or to a file')
    .option('--html <file>', 'an HTML page: a token heatmap for text, the image panels otherwise')
    .option('--png <file>', 'the image and the attributions over it, side by side')
    .option('--no-color', 'plain text in the terminal')
    .option(...STORE_OPTION);
  runtimeFlags(cmd);
  cmd.addHelpText('after', `
The target defaults to the class the model predicts. Attributions are for the model's float input;
for text models, for the embedding output (one value per token: the sum over its dimensions).
Baselines default to zeros (images, tensors) and, for text, to the sentence with every word
replaced by PAD (position embeddings kept, as in Captum's BERT tutorials).

Examples:
  glassbox attribute cnn.onnx -m integrated-gradients --image digit.png --png ig.png
  glassbox attribute cnn.onnx -m layer-grad-cam --layer /conv2/Relu_output_0 --upsample bilinear --image digit.png --png cam.png
  glassbox attribute cnn.onnx -m occlusion --input x.json --window 1,4,4 --strides 2 --target 3 --json
  glassbox attribute sentiment-run -m integrated-gradients --text "a quietly devastating film" --html ig.html
  glassbox attribute sentiment-run:latest -m saliency --nt-type smoothgrad --nt-samples 20 --example 7
  glassbox attribute bert.onnx --tokenizer tokenizer.json -m integrated-gradients --text "..." --baseline mask`);
  cmd.action(async (modelRef: string, flags: Flags) => {
    const ref = resolveModel(modelRef, flags.store);
    const explanation = await explain(ref, {
      ...(flags.input ? { input: flags.input } : {}),
      ...(flags.image ? { image: flags.image } : {}),
      ...(flags.text !== undefined ? { text: flags.text } : {}),
      ...(flags.example !== undefined ? { example: flags.example } : {}),
      ...(flags.tokenizer ? { tokenizer: flags.tokenizer } : {}),
      ...(flags.embedding ? { embedding: flags.embedding } : {}),
      ...(flags.output ? { output: flags.output } : {}),
      ...(flags.memoryBudget ? { memoryBudget: flags.memoryBudget * 2 ** 20 } : {}),
      runtime: { ...(flags.threads !== undefined ? { threads: flags.threads } : {}), ...(flags.deterministic ? { deterministic: true } : {}) },
    }, {
      ...flags,
      methods: flags.method,
      onMethod: (title) => {
        const bar = progressBar(io, 100, title);
        return { update: (fraction) => bar.update(Math.round(fraction * 100)), stop: () => bar.stop() };
      },
    });
    try {
      if (flags.html) writeFileAtomic(flags.html, await explanationHtml(explanation));
      if (flags.png) writeFileAtomic(flags.png, await explanationPng(explanation));
      if (flags.json !== undefined) writeJson(io, flags.json, explanationJson(explanation));
      if (flags.json === undefined || (flags.json !== true && flags.json !== '-')) printTerminal(io, explanation, { ...(flags.color === false ? { color: false } : {}), drewImage: Boolean(flags.png || flags.html) });
      for (const [flag, path] of [['html', flags.html], ['png', flags.png], ['json', typeof flags.json === 'string' && flags.json !== '-' ? flags.json : undefined]] as const) {
        if (path) io.stderr(`wrote ${path} (${flag})\n`);
      }
    } finally {
      await explanation.release();
    }
  });
}

function methodNames(value: string): string[] {
  const names = value.split(',').map((n) => n.trim()).filter(Boolean);
  if (names.length === 0) throw new InvalidArgumentError('name a method');
  for (const name of names) {
    if (METHODS[name]) continue;
    // configureMethod's message suggests the nearest name; raise it as a usage error.
    try {
      configureMethod(name, undefined as never, {});
    } catch (error) {
      throw new InvalidArgumentError((error as GlassboxError).message);
    }
  }
  return names;
}

function intList(flag: string): (value: string) => number[] {
  return (value) => {
    const parts = value.split(/[,x×]/).map((p) => Number(p.trim()));
    if (parts.length === 0 || parts.some((n) => !Number.isInteger(n) || n < 0)) throw new InvalidArgumentError(`${flag} takes non-negative integers separated by commas, got "${value}"`);
    return parts;
  };
}

function positiveNumber(flag: string): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (!Number.isFinite(n) || n < 0) throw new InvalidArgumentError(`${flag} must be a non-negative number, got "${value}"`);
    return n;
  };
}
