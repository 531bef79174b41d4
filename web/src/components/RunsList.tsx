import { api, type RunSummary } from '../api.js';
import { percent, thousands, when } from '../format.js';
import { runHref } from '../route.js';
import { useApi } from '../useApi.js';
import { ErrorBox, Loading } from './Message.js';
import { StatusBadge } from './StatusBadge.js';

export function RunsList() {
  const runs = useApi('runs', api.runs, { pollMs: 10_000 });
  return (
    <section aria-labelledby="runs-title">
      <h1 id="runs-title">Runs</h1>
      {runs.error && <ErrorBox>{runs.error}</ErrorBox>}
      {!runs.data && !runs.error && <Loading what="runs" />}
      {runs.data && runs.data.runs.length === 0 && (
        <div className="card empty">
          <p>No runs in this store yet. Train one, for example:</p>
          <pre><code>glassbox train --recipe transformer --dataset sentiment --epochs 3</code></pre>
        </div>
      )}
      {runs.data && runs.data.runs.length > 0 && (
        <div className="card table-card">
          <table className="runs" data-testid="runs-table">
            <thead>
              <tr>
                <th scope="col">Run</th>
                <th scope="col">Recipe</th>
                <th scope="col">Dataset</th>
                <th scope="col">Status</th>
                <th scope="col" className="num">Best test acc.</th>
                <th scope="col" className="num">Steps</th>
                <th scope="col" className="num">Checkpoints</th>
                <th scope="col">Created</th>
              </tr>
            </thead>
            <tbody>
              {[...runs.data.runs].reverse().map((run) => <RunRow key={run.id} run={run} />)}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

function RunRow({ run }: { run: RunSummary }) {
  return (
    <tr>
      <td>
        <a href={runHref(run.id)} className="run-link">{run.name}</a>
        <div className="run-id">{run.id}</div>
      </td>
      <td>{run.recipe ?? '–'}</td>
      <td>{run.dataset ?? '–'}</td>
      <td><StatusBadge run={run} /></td>
      <td className="num">{percent(run.bestTestAccuracy)}</td>
      <td className="num">{thousands(run.steps)}</td>
      <td className="num">{run.checkpoints}</td>
      <td className="nowrap">{when(run.created)}</td>
    </tr>
  );
}
