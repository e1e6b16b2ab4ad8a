import { useCallback, useEffect, useEffectEvent, useState } from 'react';

export type LoadState<T> =
  | { status: 'loading'; data: T | undefined; error: undefined }
  | { status: 'ready'; data: T; error: undefined }
  | { status: 'error'; data: T | undefined; error: unknown };

/** `given`: this request's data came from `initial`, not from a load. */
type Tracked<T> = LoadState<T> & { request: string; given?: boolean };

/**
 * Loads data for a screen and exposes loading / ready / error plus reload. A newer request wins:
 * answers to superseded requests (e.g. an older search) are dropped. Keeps the last data while
 * reloading, so lists don't flash empty.
 */
export function useLoad<T>(
  load: () => Promise<T>,
  deps: readonly (string | number | boolean | null | undefined)[],
  /**
   * The first request's data when it is already here (e.g. read while the screen was on its way): the screen's
   * first render shows it, with no loading state and no load. `undefined` when it is not.
   */
  initial?: () => T | undefined,
): LoadState<T> & { reload(): void } {
  const [version, setVersion] = useState(0);
  // One key per request (deps are plain values): when they change, the old answer is ignored.
  const request = JSON.stringify([...deps, version]);
  const [state, setState] = useState<Tracked<T>>(() => {
    const data = initial?.();
    return data === undefined
      ? { request, status: 'loading', data: undefined, error: undefined }
      : { request, status: 'ready', data, error: undefined, given: true };
  });
  // Adjusting state while rendering (React's documented pattern) marks the new request as loading.
  if (state.request !== request) {
    setState({ request, status: 'loading', data: state.data, error: undefined });
  }

  const runLoad = useEffectEvent(() => load());
  const given = state.request === request && state.given === true;
  useEffect(() => {
    if (given) return; // the first request's data came with the screen
    runLoad().then(
      (data) => setState((s) => (s.request === request ? { request, status: 'ready', data, error: undefined } : s)),
      (error: unknown) =>
        setState((s) => (s.request === request ? { request, status: 'error', data: s.data, error } : s)),
    );
  }, [request, given]);

  const reload = useCallback(() => setVersion((v) => v + 1), []);
  const {
    request: _request,
    given: _given,
    ...visible
  } = state.request === request ? state : { ...state, status: 'loading' as const, error: undefined };
  return { ...(visible as LoadState<T>), reload };
}

/**
 * The state of a request an event handler has already sent (an officer's press). Reading it sends nothing, so an
 * effect run twice (StrictMode) or a remount cannot repeat the request; a new promise is a new request.
 */
export function usePromised<T>(promise: Promise<T>): LoadState<T> {
  const [answered, setAnswered] = useState<{ promise: Promise<T>; state: LoadState<T> } | null>(null);
  useEffect(() => {
    let current = true; // an answer to a promise no longer shown is dropped
    promise.then(
      (data) => current && setAnswered({ promise, state: { status: 'ready', data, error: undefined } }),
      (error: unknown) => current && setAnswered({ promise, state: { status: 'error', data: undefined, error } }),
    );
    return () => {
      current = false;
    };
  }, [promise]);
  return answered?.promise === promise ? answered.state : { status: 'loading', data: undefined, error: undefined };
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
