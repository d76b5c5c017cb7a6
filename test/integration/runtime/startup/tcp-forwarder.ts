import { createConnection, createServer, type Server, type Socket } from 'node:net';

/**
 * A TCP port that refuses connections until `open()`, then forwards each one to a real
 * broker: a broker that "comes up" while the app is already waiting for it.
 */
export class TcpForwarder {
  private server?: Server;
  private readonly sockets = new Set<Socket>();

  private constructor(
    readonly port: number,
    private readonly target: { host: string; port: number },
  ) {}

  /** Reserves a port where nothing listens (yet). */
  static async reserve(target: { host: string; port: number }): Promise<TcpForwarder> {
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const { port } = probe.address() as { port: number };
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    return new TcpForwarder(port, target);
  }

  /** Starts listening on the reserved port and forwarding to the target. */
  async open(): Promise<void> {
    const server = createServer((inbound) => {
      const outbound = createConnection(this.target);
      for (const socket of [inbound, outbound]) {
        this.sockets.add(socket);
        socket.on('close', () => this.sockets.delete(socket));
        socket.on('error', () => socket.destroy());
      }
      inbound.pipe(outbound).pipe(inbound);
      inbound.on('close', () => outbound.destroy());
      outbound.on('close', () => inbound.destroy());
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', resolve);
    });
    this.server = server;
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    const server = this.server;
    this.server = undefined;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}
