/** Typed calls to the dashboard API; failures become Errors carrying the server's one-line message. */
import type {
  AnalysesResponse, AttributeRequest, AttributeResponse, ExamplesResponse, LayersResponse, MethodsResponse, RunDetail, RunsResponse,
} from '../../src/server/api-types.js';

export type * from '../../src/server/api-types.js';

async function call<T>(path: string, init?: RequestInit): Promise<T> {
  let response: Response;
  try {
    response = await fetch(path, init);
  } catch {
    throw new Error('the glassbox server cannot be reached: is `glassbox serve` still running?');
  }
  const body = (await response.json().catch(() => undefined)) as unknown;
  if (!response.ok) {
    const message = (body as { error?: string } | undefined)?.error;
    throw new Error(message ?? `${response.status} ${response.statusText}`);
  }
  return body as T;
}

const runPath = (id: string): string => `api/runs/${encodeURIComponent(id)}`;

export const api = {
  runs: () => call<RunsResponse>('api/runs'),
  run: (id: string) => call<RunDetail>(runPath(id)),
  methods: () => call<MethodsResponse>('api/methods'),
  layers: (id: string) => call<LayersResponse>(`${runPath(id)}/layers`),
  examples: (id: string, limit = 50) => call<ExamplesResponse>(`${runPath(id)}/examples?limit=${limit}`),
  analyses: (id: string, kind: string, step: number) => call<AnalysesResponse>(`${runPath(id)}/analyses?kind=${encodeURIComponent(kind)}&step=${step}`),
  attribute: (id: string, step: number, body: AttributeRequest, signal?: AbortSignal) =>
    call<AttributeResponse>(`${runPath(id)}/checkpoints/${step}/attribute`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
      ...(signal ? { signal } : {}),
    }),
};
