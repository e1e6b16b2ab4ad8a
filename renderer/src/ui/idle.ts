/**
 * Runs `run` in the page's next idle moment, and after `timeoutMs` at the latest (the idle callback's deadline).
 * A browser without idle callbacks runs it after a short pause instead. Returns what cancels it.
 */
export function whenIdle(run: () => void, timeoutMs: number): () => void {
  if (typeof requestIdleCallback === 'function') {
    const handle = requestIdleCallback(() => run(), { timeout: timeoutMs });
    return () => cancelIdleCallback(handle);
  }
  const timer = setTimeout(run, Math.min(timeoutMs, 50));
  return () => clearTimeout(timer);
}
