/** An answer of the attribute API: what the model predicts, then each method's attributions. */
import type { AttributeResponse } from '../api.js';
import { duration, number } from '../format.js';
import { TokenHeatmap } from './TokenHeatmap.js';

export function ExplanationView({ response, stale }: { response: AttributeResponse; stale: boolean }) {
  const first = response.results[0];
  if (!first) return null;
  const name = (k: number): string => response.classes?.[k] ?? String(k);
  const prediction = first.prediction?.[0];
  const target = typeof first.target === 'number' ? name(first.target) : undefined;
  const noTokens = response.results.filter((r) => !r.tokens);
  return (
    <div className={stale ? 'explanation stale' : 'explanation'} data-testid="explanation" data-step={response.step} aria-busy={stale}>
      <p className="summary">
        <span>step <strong>{response.step.toLocaleString('en-US')}</strong></span>
        <span>input {first.input}</span>
        {prediction && <span>predicts <strong data-testid="prediction">{name(prediction.class)}</strong> (p = {prediction.probability.toFixed(3)})</span>}
        {target !== undefined && <span>explaining <strong>{target}</strong></span>}
        {first.label !== undefined && <span>label {name(first.label)}</span>}
      </p>
      <TokenHeatmap results={response.results} />
      {first.unknownWords && <p className="muted" data-testid="unknown-words">Not in the model's vocabulary, read as the unknown token: {first.unknownWords.join(', ')}</p>}
      {response.png && <img className="panels" data-testid="attribution-png" src={response.png} alt={`the input and ${response.results.map((r) => r.title).join(', ')} over it`} />}
      {response.note && <p className="muted">{response.note}</p>}
      {!response.png && noTokens.length > 0 && (
        <ul className="plain">
          {noTokens.map((r) => <li key={r.method}>{r.title}: attributions for {r.attributedTo}, shape [{r.attribution.shape.join(', ')}] (no per-token or per-pixel view)</li>)}
        </ul>
      )}
      <p className="muted small">
        {response.results.map((r) => `${r.title} ${duration(r.seconds)}${r.delta ? ` (δ ${number(r.delta[0])})` : ''}`).join(' · ')}
      </p>
    </div>
  );
}
