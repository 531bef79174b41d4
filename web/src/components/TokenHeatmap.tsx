/**
 * One row per method, the sentence's tokens coloured by attribution: red toward the target,
 * blue against. Each row is scaled by its own largest magnitude (methods differ in units);
 * the exact value is in the cell's title (hover) and its accessible name.
 */
import type { MethodExplanation } from '../api.js';
import { diverging } from '../colors.js';
import { number } from '../format.js';

export function TokenHeatmap({ results }: { results: MethodExplanation[] }) {
  const rows = results.filter((r) => r.tokens);
  if (rows.length === 0) return null;
  return (
    <div className="heatmap" data-testid="token-heatmap">
      {rows.map((r) => {
        const tokens = r.tokens!;
        const scale = Math.max(1e-12, ...tokens.map((t) => Math.abs(t.value)));
        return (
          <div key={r.method} className="heatmap-row" data-method={r.method}>
            <div className="heatmap-label">
              <span className="method-title">{r.title}</span>
              {r.delta && <span className="muted small" title="convergence delta: how far the attributions' sum is from F(x) − F(baseline)">δ {number(r.delta[0])}</span>}
            </div>
            <div className="tokens" role="list" aria-label={`${r.title}: attribution per token`}>
              {tokens.map((t, i) => {
                const cell = diverging(t.value / scale);
                return (
                  <span
                    key={i}
                    role="listitem"
                    className="token"
                    data-value={t.value}
                    title={`${t.token}: ${number(t.value, 4)}`}
                    aria-label={`${t.token} ${number(t.value, 4)}`}
                    style={{ background: cell.background, color: cell.color }}
                  >
                    {t.token}
                  </span>
                );
              })}
            </div>
          </div>
        );
      })}
      <div className="legend" aria-hidden="true">
        <span>against the target</span>
        <span className="legend-bar" />
        <span>toward the target</span>
      </div>
    </div>
  );
}
