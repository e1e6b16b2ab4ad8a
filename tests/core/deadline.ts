/**
 * Waits for `work`, but answers false instead of hanging when it has not finished in `ms`: a test
 * asserts on the answer, so a loop that never ends fails with a message, not a test timeout.
 */
export async function finishesWithin(work: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), ms)));
  try {
    return await Promise.race([work.then(() => true as const), late]);
  } finally {
    clearTimeout(timer);
  }
}
