/**
 * Checkpoints are log-spaced (0, 1, 2, 4, 8, …), so the slider moves over their indices, not
 * over steps: every position is a checkpoint and early training gets as much room as late.
 */
import type { CheckpointSummary } from '../api.js';
import { number, percent } from '../format.js';

interface Props {
  checkpoints: CheckpointSummary[];
  index: number;
  onChange(index: number): void;
}

export function CheckpointSlider({ checkpoints, index, onChange }: Props) {
  const current = checkpoints[index];
  if (!current) return <p className="muted">This run has no checkpoints yet.</p>;
  const m = current.metrics;
  const last = checkpoints.length - 1;
  return (
    <div className="slider">
      <div className="slider-head">
        <label htmlFor="checkpoint-slider">Checkpoint</label>
        <output htmlFor="checkpoint-slider" data-testid="checkpoint-step" className="slider-value">
          step <strong>{current.step.toLocaleString('en-US')}</strong>
          {current.epoch !== undefined && <> · epoch {current.epoch}</>}
          {m?.testAccuracy !== undefined && <> · test acc. {percent(m.testAccuracy)}</>}
          {m?.testLoss !== undefined && <> · test loss {number(m.testLoss)}</>}
        </output>
        <span className="muted">{index + 1} of {checkpoints.length}</span>
      </div>
      <input
        id="checkpoint-slider"
        type="range"
        min={0}
        max={last}
        step={1}
        value={index}
        disabled={last === 0}
        aria-valuetext={`step ${current.step}`}
        onChange={(e) => onChange(Number(e.currentTarget.value))}
      />
      <div className="slider-ticks" aria-hidden="true">
        {checkpoints.map((c, i) => (
          <button key={c.step} type="button" tabIndex={-1} className={i === index ? 'tick active' : 'tick'} style={{ left: `${last === 0 ? 0 : (i / last) * 100}%` }} onClick={() => onChange(i)} title={`step ${c.step}`}>
            {checkpoints.length <= 16 || i === 0 || i === last || i === index ? c.step : ''}
          </button>
        ))}
      </div>
    </div>
  );
}
