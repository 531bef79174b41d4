/**
 * Layer information (Guan et al. 2019) stored for the checkpoint: for each word and layer, the
 * noise σ the layer tolerates on that word (large σ: the layer has forgotten it) and the
 * word's entropy. A words × layers heatmap, and the mean over words per layer as a curve.
 */
import { useMemo, useState } from 'react';
import type uPlot from 'uplot';
import { api, type AnalysisSummary, type InformationResult } from '../api.js';
import { sequential } from '../colors.js';
import { number } from '../format.js';
import { useApi } from '../useApi.js';
import { ErrorBox } from './Message.js';
import { UPlotChart } from './UPlotChart.js';

type Measure = 'sigma' | 'entropy';

export function InformationPanel({ runId, step, isText }: { runId: string; step: number; isText: boolean }) {
  const analyses = useApi(`information:${runId}:${step}`, () => api.analyses(runId, 'information', step));
  const [chosen, setChosen] = useState(0);
  const list = (analyses.data?.analyses ?? []).filter(isInformation);
  const current = list[Math.min(chosen, list.length - 1)];
  return (
    <section className="card" aria-labelledby="information-title" data-testid="information-panel">
      <h2 id="information-title">Layer information <span className="muted small">at step {step.toLocaleString('en-US')}</span></h2>
      {analyses.error && <ErrorBox>{analyses.error}</ErrorBox>}
      {analyses.data && list.length === 0 && (
        <div className="empty">
          <p>No layer information is stored for this checkpoint. Compute it for {isText ? 'a sentence' : 'a test example'} with:</p>
          <pre><code>glassbox information {runId}:{step} {isText ? '--text "a quietly devastating film"' : '--example 0'}</code></pre>
        </div>
      )}
      {list.length > 1 && (
        <label className="field wide">
          <span>{isText ? 'Sentence' : 'Input'}</span>
          <select value={Math.min(chosen, list.length - 1)} onChange={(e) => setChosen(Number(e.currentTarget.value))}>
            {list.map((a, i) => <option key={a.id} value={i}>{String(a.params.text ?? a.params.input ?? `analysis ${a.id}`)}</option>)}
          </select>
        </label>
      )}
      {current && (current.result.image ? <ImageInformationView result={current.result} /> : <InformationView result={current.result} />)}
    </section>
  );
}

function isInformation(a: AnalysisSummary): a is AnalysisSummary<InformationResult> {
  const r = a.result as Partial<InformationResult> | null;
  return Boolean(r && Array.isArray(r.tokens) && Array.isArray(r.layers));
}

function InformationView({ result }: { result: InformationResult }) {
  const [measure, setMeasure] = useState<Measure>('sigma');
  const { values, means, lo, hi, names } = useMemo(() => {
    const rows = result.layers.map((l) => (measure === 'sigma' ? l.sigma.map((s) => Math.log(s)) : l.entropy));
    const flat = rows.flat().filter(Number.isFinite);
    return {
      values: rows,
      means: rows.map((row) => row.reduce((a, b) => a + b, 0) / Math.max(1, row.length)),
      lo: Math.min(...flat),
      hi: Math.max(...flat),
      names: result.layers.map((l) => l.name),
    };
  }, [result, measure]);
  const scale = (v: number): number => (hi > lo ? (v - lo) / (hi - lo) : 0.5);
  return (
    <div className="information">
      <div className="segmented" role="radiogroup" aria-label="Measure">
        {(['sigma', 'entropy'] as const).map((m) => (
          <label key={m} className={measure === m ? 'active' : ''}>
            <input type="radio" name="measure" value={m} checked={measure === m} onChange={() => setMeasure(m)} />
            {m === 'sigma' ? 'log σ (noise tolerated)' : 'entropy H'}
          </label>
        ))}
      </div>
      <div className="table-scroll">
        <table className="info-grid" data-testid="information-heatmap">
          <caption className="muted small">Darker: the layer keeps less of the word (forgotten).</caption>
          <thead>
            <tr>
              <th scope="col">layer</th>
              {result.tokens.map((t, i) => <th key={i} scope="col" className="word">{t}</th>)}
            </tr>
          </thead>
          <tbody>
            {result.layers.map((layer, li) => (
              <tr key={layer.name}>
                <th scope="row" className="layer-name" title={layer.name}>{layer.name}</th>
                {values[li]!.map((v, ti) => {
                  const cell = sequential(scale(v));
                  return (
                    <td key={ti} style={{ background: cell.background, color: cell.color }} title={`${result.tokens[ti]} at ${layer.name}: σ ${number(layer.sigma[ti])}, H ${number(layer.entropy[ti])}`}>
                      {number(v, 2)}
                    </td>
                  );
                })}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <MeanCurve names={names} means={means} measure={measure} />
    </div>
  );
}

/**
 * An image's information: the input, then each layer with a veil over the image — thick where
 * the layer has forgotten the patch (σ near the largest allowed), none where it keeps it best;
 * one scale for all layers. A veil reads on any image (a coloured shade hides a dark MNIST
 * background instead of marking it).
 */
function ImageInformationView({ result }: { result: InformationResult }) {
  const image = result.image!;
  const { values, lo, hi } = useMemo(() => {
    const rows = result.layers.map((l) => l.sigma.map((s) => Math.log(s)));
    const flat = rows.flat().filter(Number.isFinite);
    return { values: rows, lo: Math.min(...flat), hi: Math.max(...flat) };
  }, [result]);
  const scale = (v: number): number => (hi > lo ? (v - lo) / (hi - lo) : 0.5);
  const size = 150;
  const across = (px: number) => `${(100 * px) / image.width}%`;
  const down = (px: number) => `${(100 * px) / image.height}%`;
  const picture = image.picture ? <img className="info-picture" src={image.picture} alt="" /> : null;
  const names = result.layers.map((l) => l.name);
  const means = values.map((row) => row.reduce((a, b) => a + b, 0) / Math.max(1, row.length));
  return (
    <div className="information">
      <div className="info-images" data-testid="information-image">
        <figure>
          <div className="info-stack" style={{ width: size, height: (size * image.height) / image.width }}>{picture}</div>
          <figcaption>input</figcaption>
        </figure>
        {result.layers.map((layer, li) => (
          <figure key={layer.name}>
            <div className="info-stack" style={{ width: size, height: (size * image.height) / image.width }}>
              {picture}
              {values[li]!.map((v, u) => {
                const [row, col] = [Math.floor(u / image.across), u % image.across];
                const w = Math.min(image.patch, image.width - col * image.patch);
                const h = Math.min(image.patch, image.height - row * image.patch);
                return (
                  <div key={u} className="info-patch" title={`patch ${result.tokens[u]} at ${layer.name}: σ ${number(layer.sigma[u])}`}
                    style={{ left: across(col * image.patch), top: down(row * image.patch), width: across(w), height: down(h), opacity: 0.88 * scale(v) }} />
                );
              })}
            </div>
            <figcaption title={layer.name}>{shortName(layer.name)} · mean log σ {number(means[li], 2)}</figcaption>
          </figure>
        ))}
      </div>
      <p className="muted small">Veiled: the layer has forgotten that patch (large σ); clear: it keeps it. One scale for all layers; σ per {image.patch}×{image.patch}-pixel patch.</p>
      <MeanCurve names={names} means={means} measure="sigma" unit="patches" />
    </div>
  );
}

function MeanCurve({ names, means, measure, unit = 'words' }: { names: string[]; means: number[]; measure: Measure; unit?: string }) {
  const label = measure === 'sigma' ? 'mean log σ' : 'mean H';
  const options = useMemo<Omit<uPlot.Options, 'width' | 'height'>>(() => ({
    // Half a layer of room on each side, so the first and last names fit.
    scales: { x: { time: false, range: (_u, min, max) => [min - 0.5, max + 0.5] } },
    series: [{ label: 'layer', value: (_u, i) => names[i] ?? '' }, { label, stroke: '#7c3aed', width: 2, points: { show: true, size: 6, fill: '#7c3aed' } }],
    axes: [
      { label: 'layer', stroke: '#555', grid: { stroke: '#eee' }, incrs: [1], values: (_u, ticks) => ticks.map((t) => shortName(names[t] ?? '')) },
      { label, stroke: '#555', grid: { stroke: '#eee' }, size: 56 },
    ],
    cursor: { drag: { x: false, y: false } },
  }), [names, label]);
  const data = useMemo<uPlot.AlignedData>(() => [names.map((_, i) => i), means], [names, means]);
  return (
    <figure>
      <figcaption>Mean over the {unit}, per layer</figcaption>
      <UPlotChart options={options} data={data} height={180} label={`${label} per layer`} />
    </figure>
  );
}

function shortName(name: string): string {
  return name.length > 14 ? `…${name.slice(-13)}` : name;
}
