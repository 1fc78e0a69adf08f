// A unix socket in front of the real engine's, for tests that need an engine that freezes or disappears mid-run
// without touching the shared dockerd: `freeze()` stops forwarding (connections stay open, nothing answers),
// `kill()` closes the socket and every connection (connection refused from then on).
import * as fs from 'fs';
import * as net from 'net';

export interface SocketProxy {
  path: string;
  /** Requests seen so far (their first line: "POST /v1.41/containers/…/exec HTTP/1.1"). */
  requests: string[];
  freeze(): void;
  kill(): void;
  /** Calls `then` once a request's first line matches. */
  when(pattern: RegExp, then: () => void): void;
  close(): Promise<void>;
}

export function startSocketProxy(path: string, upstream = '/var/run/docker.sock'): Promise<SocketProxy> {
  try {
    fs.unlinkSync(path);
  } catch {
    // not there
  }
  const sockets = new Set<net.Socket>();
  const requests: string[] = [];
  const waiters: Array<{ pattern: RegExp; then: () => void }> = [];
  let frozen = false;
  const server = net.createServer((client) => {
    sockets.add(client);
    client.on('close', () => sockets.delete(client));
    client.on('error', () => undefined);
    if (frozen) return; // accepted, never answered
    const up = net.connect(upstream);
    sockets.add(up);
    up.on('close', () => sockets.delete(up));
    up.on('error', () => client.destroy());
    client.on('data', (chunk: Buffer) => {
      const first = /^(GET|POST|PUT|DELETE|HEAD) \S+/.exec(chunk.toString('latin1'));
      if (first) {
        requests.push(first[0]);
        for (const w of waiters.splice(0)) (w.pattern.test(first[0]) ? w.then : () => waiters.push(w))();
      }
      if (!frozen) up.write(chunk);
    });
    up.on('data', (chunk: Buffer) => {
      if (!frozen) client.write(chunk);
    });
    client.on('end', () => up.end());
    up.on('end', () => client.end());
  });
  return new Promise((resolve) => {
    server.listen(path, () =>
      resolve({
        path,
        requests,
        freeze: () => {
          frozen = true;
        },
        kill: () => {
          server.close();
          for (const s of sockets) s.destroy();
          try {
            fs.unlinkSync(path);
          } catch {
            // gone already
          }
        },
        when: (pattern, then) => {
          waiters.push({ pattern, then });
        },
        close: () =>
          new Promise<void>((done) => {
            for (const s of sockets) s.destroy();
            server.close(() => done());
            if (!server.listening) done();
          }),
      }),
    );
  });
}
