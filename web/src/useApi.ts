import { useCallback, useEffect, useState } from 'react';

export interface Loaded<T> {
  data?: T;
  error?: string;
  loading: boolean;
  reload(): void;
}

/** Loads `load()` when `key` changes (and on reload); an old answer never overwrites a newer one. */
export function useApi<T>(key: string | undefined, load: () => Promise<T>, options: { pollMs?: number } = {}): Loaded<T> {
  const [state, setState] = useState<{ key?: string; data?: T; error?: string; loading: boolean }>({ loading: key !== undefined });
  const [tick, setTick] = useState(0);
  const reload = useCallback(() => setTick((t) => t + 1), []);
  useEffect(() => {
    if (key === undefined) return;
    let live = true;
    setState((s) => ({ ...(s.key === key ? s : {}), key, loading: true }));
    load().then(
      (data) => live && setState({ key, data, loading: false }),
      (error: Error) => live && setState({ key, error: error.message, loading: false }),
    );
    return () => { live = false; };
    // `load` is a fresh closure each render; `key` says when it asks for something else.
  }, [key, tick]);
  useEffect(() => {
    if (!options.pollMs || key === undefined) return;
    const timer = setInterval(reload, options.pollMs);
    return () => clearInterval(timer);
  }, [options.pollMs, key, reload]);
  const current = state.key === key ? state : { loading: key !== undefined };
  return { ...current, reload } as Loaded<T>;
}
