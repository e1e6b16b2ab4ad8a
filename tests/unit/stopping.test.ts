import { stopWithin } from '../../electron/services/stopping';

describe('stopWithin: quitting is never held by a stop that does not end', () => {
  it('reports a stop that finished', async () => {
    await expect(stopWithin(() => Promise.resolve(), 1_000)).resolves.toEqual({ outcome: 'stopped' });
  });

  it('reports a stop that failed, with its error', async () => {
    const error = new Error('the team database went away');
    await expect(stopWithin(() => Promise.reject(error), 1_000)).resolves.toEqual({ outcome: 'failed', error });
  });

  it('gives up at the deadline on a stop that never ends (a team connection to a server that stopped answering)', async () => {
    const started = Date.now();
    const result = await stopWithin(() => new Promise<void>(() => undefined), 200);
    expect(result).toEqual({ outcome: 'timed-out' });
    expect(Date.now() - started).toBeGreaterThanOrEqual(190);
  });
});
