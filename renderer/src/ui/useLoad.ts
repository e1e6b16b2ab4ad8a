import { useCallback, useEffect, useEffectEvent, useState } from 'react';

export type LoadState<T> =
  | { status: 'loading'; data: T | undefined; error: undefined }
  | { status: 'ready'; data: T; error: undefined }
  | { status: 'error'; data: T | undefined; error: unknown };

type Tracked<T> = LoadState<T> & { request: string };

/**
 * Loads data for a screen and exposes loading / ready / error plus reload. A newer request wins:
 * answers to superseded requests (e.g. an older search) are dropped. Keeps the last data while
 * reloading, so lists don't flash empty.
 */
export function useLoad<T>(
  load: () => Promise<T>,
  deps: readonly (string | number | boolean | null | undefined)[],
): LoadState<T> & { reload(): void } {
  const [version, setVersion] = useState(0);
  // One key per request (deps are plain values): when they change, the old answer is ignored.
  const request = JSON.stringify([...deps, version]);
  const [state, setState] = useState<Tracked<T>>({ request, status: 'loading', data: undefined, error: undefined });
  // Adjusting state while rendering (React's documented pattern) marks the new request as loading.
  if (state.request !== request) {
    setState({ request, status: 'loading', data: state.data, error: undefined });
  }

  const runLoad = useEffectEvent(() => load());
  useEffect(() => {
    runLoad().then(
      (data) => setState((s) => (s.request === request ? { request, status: 'ready', data, error: undefined } : s)),
      (error: unknown) =>
        setState((s) => (s.request === request ? { request, status: 'error', data: s.data, error } : s)),
    );
  }, [request]);

  const reload = useCallback(() => setVersion((v) => v + 1), []);
  const { request: _request, ...visible } =
    state.request === request ? state : { ...state, status: 'loading' as const, error: undefined };
  return { ...(visible as LoadState<T>), reload };
}

/** A value that follows its input after the user pauses typing. */
export function useDebounced<T>(value: T, delayMs: number): T {
  const [debounced, setDebounced] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setDebounced(value), delayMs);
    return () => clearTimeout(timer);
  }, [value, delayMs]);
  return debounced;
}
