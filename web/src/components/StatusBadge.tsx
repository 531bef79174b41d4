import type { RunSummary } from '../api.js';

export function StatusBadge({ run }: { run: Pick<RunSummary, 'status' | 'interrupted' | 'message'> }) {
  const status = run.interrupted ? 'interrupted' : run.status;
  return (
    <span className={`badge badge-${status}`} title={run.message ?? (run.interrupted ? 'its trainer stopped; glassbox train --resume continues it' : undefined)}>
      {status}
    </span>
  );
}
