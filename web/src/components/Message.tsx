import type { ReactNode } from 'react';

export function ErrorBox({ children }: { children: ReactNode }) {
  return <div className="error" role="alert">{children}</div>;
}

export function Loading({ what }: { what: string }) {
  return <p className="muted" role="status">Loading {what}…</p>;
}
