import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A local webhook endpoint that records raw bodies and headers; `failFirst` answers 500 to that many deliveries. */
export interface WebhookReceiver {
  url: string;
  received: { body: string; headers: IncomingHttpHeaders; status: number }[];
  failFirst: number;
  close(): Promise<void>;
}

export async function startWebhookReceiver(): Promise<WebhookReceiver> {
  const receiver: Partial<WebhookReceiver> & { received: WebhookReceiver['received']; failFirst: number } = {
    received: [],
    failFirst: 0,
  };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const status = receiver.failFirst > 0 ? 500 : 200;
      if (receiver.failFirst > 0) receiver.failFirst -= 1;
      receiver.received.push({ body: Buffer.concat(chunks).toString('utf8'), headers: req.headers, status });
      res.writeHead(status).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  receiver.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/plaid-webhook`;
  receiver.close = () =>
    new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  return receiver as WebhookReceiver;
}

/** Parsed JSON bodies of the deliveries that were accepted (2xx). */
export function deliveredPayloads(receiver: WebhookReceiver): Record<string, unknown>[] {
  return receiver.received.filter((r) => r.status === 200).map((r) => JSON.parse(r.body) as Record<string, unknown>);
}
