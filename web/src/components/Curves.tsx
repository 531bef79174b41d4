/** Training curves: train/test loss and accuracy against the step, with the chosen checkpoint marked. */
import { useMemo } from 'react';
import type uPlot from 'uplot';
import type { MetricsPoint } from '../api.js';
import { UPlotChart } from './UPlotChart.js';

const TRAIN = '#f59e0b';
const TEST = '#4f46e5';

function series(label: string, stroke: string): uPlot.Series {
  // Test metrics come at checkpoints, train metrics at epoch ends: join the points they have.
  return { label, stroke, width: 2, spanGaps: true, points: { show: true, size: 5, fill: stroke } };
}

function chartOptions(yLabel: string, percent: boolean): Omit<uPlot.Options, 'width' | 'height'> {
  return {
    scales: { x: { time: false } },
    series: [{ label: 'step' }, series(`train ${yLabel}`, TRAIN), series(`test ${yLabel}`, TEST)],
    axes: [
      { label: 'step', stroke: '#555', grid: { stroke: '#eee' } },
      { label: yLabel, stroke: '#555', grid: { stroke: '#eee' }, size: 56, ...(percent ? { values: (_u: uPlot, ticks: number[]) => ticks.map((t) => `${Math.round(t * 100)}%`) } : {}) },
    ],
    legend: { live: true },
    cursor: { drag: { x: false, y: false } },
  };
}

const LOSS = chartOptions('loss', false);
const ACCURACY = chartOptions('accuracy', true);

export function Curves({ metrics, step }: { metrics: MetricsPoint[]; step?: number }) {
  const { loss, accuracy, empty } = useMemo(() => {
    const steps = metrics.map((m) => m.step);
    const col = (pick: (m: MetricsPoint) => number | undefined): (number | null)[] => metrics.map((m) => pick(m) ?? null);
    return {
      loss: [steps, col((m) => m.trainLoss), col((m) => m.testLoss)] as uPlot.AlignedData,
      accuracy: [steps, col((m) => m.trainAccuracy), col((m) => m.testAccuracy)] as uPlot.AlignedData,
      empty: metrics.length === 0,
    };
  }, [metrics]);
  if (empty) return <p className="muted">No metrics logged yet.</p>;
  return (
    <div className="curves">
      <figure>
        <figcaption>Loss</figcaption>
        <UPlotChart options={LOSS} data={loss} marker={step} label="training and test loss against the step" />
      </figure>
      <figure>
        <figcaption>Accuracy</figcaption>
        <UPlotChart options={ACCURACY} data={accuracy} marker={step} label="training and test accuracy against the step" />
      </figure>
    </div>
  );
}
