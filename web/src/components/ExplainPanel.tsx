/**
 * Explain an input at the chosen checkpoint. The last submitted request is kept: moving the
 * checkpoint slider runs it again at the new step (the server caches answers it has given).
 */
import { useEffect, useMemo, useState, type FormEvent } from 'react';
import { api, type AttributeRequest, type AttributeResponse, type MethodSummary, type RunInput } from '../api.js';
import { useApi } from '../useApi.js';
import { ExplanationView } from './ExplanationView.js';
import { InputBox, type InputChoice } from './InputBox.js';
import { ErrorBox } from './Message.js';
import { MethodPicker } from './MethodPicker.js';

interface Props {
  runId: string;
  input: RunInput;
  step: number;
  methods: MethodSummary[];
}

type Answer = { step: number; response?: AttributeResponse; error?: string; loading: boolean };

export function ExplainPanel({ runId, input, step, methods }: Props) {
  const [choice, setChoice] = useState<InputChoice>();
  const [selected, setSelected] = useState<string[]>(['integrated-gradients', 'saliency']);
  const [target, setTarget] = useState('');
  const [layer, setLayer] = useState('');
  const [neuron, setNeuron] = useState('');
  const [steps, setSteps] = useState(50);
  const [submitted, setSubmitted] = useState<AttributeRequest>();
  const [answer, setAnswer] = useState<Answer>();

  const specs = useMemo(() => new Map(methods.map((m) => [m.name, m])), [methods]);
  const needsLayer = selected.some((m) => specs.get(m)?.needsLayer);
  const needsNeuron = selected.some((m) => specs.get(m)?.needsNeuron);
  const layers = useApi(needsLayer ? `layers:${runId}` : undefined, () => api.layers(runId));

  useEffect(() => {
    if (!submitted) return;
    const abort = new AbortController();
    // Sliding across checkpoints asks once the slider rests, not for every position passed.
    const timer = setTimeout(() => {
      setAnswer((a) => ({ ...(a ?? {}), step, loading: true, error: undefined }));
      api.attribute(runId, step, submitted, abort.signal).then(
        (response) => setAnswer({ step, response, loading: false }),
        (error: Error) => !abort.signal.aborted && setAnswer({ step, error: error.message, loading: false }),
      );
    }, 200);
    return () => { clearTimeout(timer); abort.abort(); };
  }, [runId, step, submitted]);

  const problem = !choice ? 'give an input to explain' : selected.length === 0 ? 'pick at least one method' : needsLayer && !layer ? 'name the layer for the layer methods' : needsNeuron && !/^\d+(\s*,\s*\d+)*$/.test(neuron.trim()) ? 'give the neuron index (i or i,j,…)' : undefined;

  const submit = (e: FormEvent): void => {
    e.preventDefault();
    if (problem || !choice) return;
    const body: AttributeRequest = { methods: selected, ...('image' in choice ? { image: choice.image } : choice) };
    if (target !== '') body.target = target;
    if (needsLayer) body.layer = layer.trim();
    if (needsNeuron) body.neuron = neuron.split(',').map((n) => Number(n.trim()));
    if (steps !== 50) body.steps = steps;
    // Occlusion needs a window over images: a 4×4 patch in every channel, moved 2 pixels at a time.
    if (selected.includes('occlusion') && input.kind === 'image') Object.assign(body, { window: [input.shape[0] ?? 1, 4, 4], strides: [2] });
    setSubmitted(body);
  };

  return (
    <section className="card" aria-labelledby="explain-title">
      <h2 id="explain-title">Explain an input</h2>
      <form onSubmit={submit} className="explain-form">
        <InputBox runId={runId} input={input} value={choice} onChange={setChoice} />
        <MethodPicker methods={methods} selected={selected} onChange={setSelected} />
        <div className="options">
          <label className="field">
            <span>Target</span>
            <select name="target" value={target} onChange={(e) => setTarget(e.currentTarget.value)}>
              <option value="">the predicted class</option>
              {input.classes.map((c) => <option key={c} value={c}>{c}</option>)}
            </select>
          </label>
          <label className="field narrow">
            <span>IG steps</span>
            <input type="number" name="steps" min={1} max={500} value={steps} onChange={(e) => setSteps(Math.max(1, Math.min(500, Number(e.currentTarget.value) || 50)))} />
          </label>
          {needsLayer && (
            <label className="field wide">
              <span>Layer</span>
              <input type="text" name="layer" list="layer-names" placeholder={layers.data ? 'pick or type a tensor name' : 'loading layers…'} value={layer} onChange={(e) => setLayer(e.currentTarget.value)} />
              <datalist id="layer-names">
                {layers.data?.layers.map((l) => <option key={l.name} value={l.name}>{`${l.op} [${l.shape?.join(', ') ?? '?'}]`}</option>)}
              </datalist>
            </label>
          )}
          {needsNeuron && (
            <label className="field narrow">
              <span>Neuron</span>
              <input type="text" name="neuron" placeholder="0" value={neuron} onChange={(e) => setNeuron(e.currentTarget.value)} />
            </label>
          )}
        </div>
        <div className="actions">
          <button type="submit" className="primary" disabled={Boolean(problem)}>Explain at step {step.toLocaleString('en-US')}</button>
          {problem && <span className="muted small">{problem}</span>}
        </div>
      </form>
      {answer?.error && <ErrorBox>{answer.error}</ErrorBox>}
      {answer?.loading && <p className="muted" role="status">Explaining at step {answer.step.toLocaleString('en-US')}…</p>}
      {answer?.response && <ExplanationView response={answer.response} stale={answer.loading} />}
    </section>
  );
}
