/** One run: its config, training curves, the checkpoint slider, and what each checkpoint explains. */
import { useEffect, useState } from 'react';
import { api, type RunDetail } from '../api.js';
import { percent, thousands, when } from '../format.js';
import { useApi } from '../useApi.js';
import { CheckpointSlider } from './CheckpointSlider.js';
import { Curves } from './Curves.js';
import { ExplainPanel } from './ExplainPanel.js';
import { InformationPanel } from './InformationPanel.js';
import { ErrorBox, Loading } from './Message.js';
import { StatusBadge } from './StatusBadge.js';

export function RunPage({ id }: { id: string }) {
  const [polling, setPolling] = useState(false);
  const detail = useApi(`run:${id}`, () => api.run(id), polling ? { pollMs: 5000 } : {});
  const methods = useApi('methods', api.methods);
  const [index, setIndex] = useState<number>();
  const data = detail.data;
  const checkpoints = data?.checkpoints ?? [];
  // Start at the last checkpoint: the trained model.
  const chosen = index ?? checkpoints.length - 1;
  const checkpoint = checkpoints[chosen];

  useEffect(() => {
    // Follow a run that is still training.
    setPolling(data?.run.status === 'running' && !data.run.interrupted);
  }, [data?.run.status, data?.run.interrupted]);

  if (detail.error && !data) return <><BackLink /><ErrorBox>{detail.error}</ErrorBox></>;
  if (!data) return <><BackLink /><Loading what="the run" /></>;
  return (
    <article className="run-page">
      <BackLink />
      <RunHeader detail={data} />
      <section className="card" aria-labelledby="curves-title">
        <h2 id="curves-title">Training</h2>
        <Curves metrics={data.metrics} {...(checkpoint ? { step: checkpoint.step } : {})} />
        <CheckpointSlider checkpoints={checkpoints} index={Math.max(0, chosen)} onChange={setIndex} />
      </section>
      {checkpoint && data.input && methods.data && (
        <ExplainPanel runId={data.run.id} input={data.input} step={checkpoint.step} methods={methods.data.methods} />
      )}
      {checkpoint && !data.input && (
        <section className="card"><p className="muted">This run's dataset cannot be loaded here, so its inputs cannot be explained from the dashboard.</p></section>
      )}
      {methods.error && <ErrorBox>{methods.error}</ErrorBox>}
      {checkpoint && <InformationPanel runId={data.run.id} step={checkpoint.step} isText={data.input?.kind === 'tokens'} />}
    </article>
  );
}

function BackLink() {
  return <a className="back" href="#/">← all runs</a>;
}

function RunHeader({ detail }: { detail: RunDetail }) {
  const { run } = detail;
  const config = run.config as { epochs?: number; batchSize?: number; optimizer?: { type?: string; lr?: number }; recipeConfig?: Record<string, unknown> };
  const facts: [string, string][] = [
    ['recipe', run.recipe ?? '–'],
    ['dataset', run.dataset ?? '–'],
    ['best test acc.', percent(run.bestTestAccuracy)],
    ['steps', thousands(run.steps)],
    ['checkpoints', String(run.checkpoints)],
    ['optimizer', config.optimizer ? `${config.optimizer.type ?? '?'} lr ${config.optimizer.lr ?? '?'}` : '–'],
    ['epochs', config.epochs !== undefined ? String(config.epochs) : '–'],
    ['created', when(run.created)],
  ];
  return (
    <header className="run-header">
      <h1>{run.name} <StatusBadge run={run} /></h1>
      <p className="run-id">{run.id}</p>
      <dl className="facts">
        {facts.map(([k, v]) => (
          <div key={k}><dt>{k}</dt><dd>{v}</dd></div>
        ))}
      </dl>
      <details className="config">
        <summary>Configuration</summary>
        <pre><code>{JSON.stringify(run.config, null, 2)}</code></pre>
      </details>
    </header>
  );
}
