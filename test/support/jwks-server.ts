import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { JWK } from 'jose' with { 'resolution-mode': 'import' };

/**
 * A real JWKS endpoint on 127.0.0.1, started by the test that needs it: it serves the keys it
 * is given at `/.well-known/jwks.json` (and, as a token issuer would, `issuedToken` at `/token`),
 * answers 503 while `down()`, and counts the requests.
 */
export class JwksServer {
  private keys: JWK[] = [];
  private unavailable = false;
  /** What `/token` answers. */
  issuedToken = '';
  /** Requests received, and those answered 503 while down. */
  requests = 0;
  refused = 0;

  private readonly server: Server = createServer((request, response) =>
    this.answer(request, response),
  );

  private constructor() {}

  static async start(keys: JWK[] = []): Promise<JwksServer> {
    const jwks = new JwksServer();
    jwks.serve(keys);
    await new Promise<void>((resolve) => jwks.server.listen(0, '127.0.0.1', resolve));
    return jwks;
  }

  private answer(request: IncomingMessage, response: ServerResponse): void {
    this.requests += 1;
    if (this.unavailable) {
      this.refused += 1;
      response.writeHead(503, { 'content-type': 'text/plain' }).end('down for the test');
      return;
    }
    if (request.url === '/token') {
      response.writeHead(200, { 'content-type': 'text/plain' }).end(this.issuedToken);
      return;
    }
    if (request.url !== '/.well-known/jwks.json') {
      response.writeHead(404).end();
      return;
    }
    response
      .writeHead(200, { 'content-type': 'application/jwk-set+json' })
      .end(JSON.stringify({ keys: this.keys }));
  }

  get url(): string {
    return `${this.origin}/.well-known/jwks.json`;
  }

  get tokenUrl(): string {
    return `${this.origin}/token`;
  }

  private get origin(): string {
    const { port } = this.server.address() as AddressInfo;
    return `http://127.0.0.1:${port}`;
  }

  /** The key set served from now on (a rotation). */
  serve(keys: JWK[]): void {
    this.keys = [...keys];
  }

  down(): void {
    this.unavailable = true;
  }

  up(): void {
    this.unavailable = false;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
