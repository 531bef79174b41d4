import { useEffect, useState } from 'react';

/** Hash routes (#/ and #/runs/<id>): the server never has to answer for app paths. */
export type Route = { page: 'runs' } | { page: 'run'; id: string };

export function parseRoute(hash: string): Route {
  const m = /^#\/runs\/([^/?#]+)/.exec(hash);
  return m ? { page: 'run', id: decodeURIComponent(m[1]!) } : { page: 'runs' };
}

export function runHref(id: string): string {
  return `#/runs/${encodeURIComponent(id)}`;
}

export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(window.location.hash));
  useEffect(() => {
    const update = (): void => setRoute(parseRoute(window.location.hash));
    window.addEventListener('hashchange', update);
    return () => window.removeEventListener('hashchange', update);
  }, []);
  return route;
}
