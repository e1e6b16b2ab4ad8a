import { useCallback, useEffect, useLayoutEffect, useRef, useState } from 'react';
import type { UnderwritingAnalysis } from '../../../shared/underwriting';
import type { AnalysisInput, ReportAnalysis } from './report-analysis';

/** A callback whose identity never changes but that always runs the latest `fn` (for memoized panels). */
export function useStableCallback<A extends unknown[], R>(fn: (...args: A) => R): (...args: A) => R {
  const ref = useRef(fn);
  useLayoutEffect(() => {
    ref.current = fn;
  });
  return useCallback((...args: A) => ref.current(...args), []);
}

/** What a promise settled to, once it has (null meanwhile, and for no promise). Its failures are handled inside it. */
export function useSettled<T>(pending: Promise<T> | null): T | null {
  const [settled, setSettled] = useState<{ from: Promise<T>; value: T } | null>(null);
  useEffect(() => {
    if (!pending) return;
    let current = true;
    void pending.then((value) => current && setSettled({ from: pending, value }));
    return () => {
      current = false;
    };
  }, [pending]);
  return settled && settled.from === pending ? settled.value : null;
}

/**
 * The analysis for the current inputs, kept while a newer one is worked out (a saved note re-runs it);
 * an answer for older inputs is dropped.
 */
export function useAnalysis(session: ReportAnalysis | null, input: AnalysisInput | null) {
  const [state, setState] = useState<{ analysis: UnderwritingAnalysis | null; error: unknown }>({
    analysis: null,
    error: null,
  });
  useEffect(() => {
    if (!session || !input) return;
    let current = true;
    session.analyze(input).then(
      (analysis) => current && setState({ analysis, error: null }),
      (error: unknown) => current && setState((s) => ({ analysis: s.analysis, error })),
    );
    return () => {
      current = false;
    };
  }, [session, input]);
  useEffect(() => () => session?.close(), [session]);
  return state;
}
