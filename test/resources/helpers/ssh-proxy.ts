/**
 * A TCP listener on 127.0.0.1 that hands every connection to a byte stream opened inside the gateway lab's
 * network namespace (GatewayLab.openStream). The dynamic-provider host is a separate process that can only be
 * given plain SSH coordinates (host, port), as a real user's stack would; this makes the lab's sshd reachable
 * that way without any link between the namespaces.
 */
import * as net from "node:net";
import type { Duplex } from "node:stream";

export interface SshProxy {
  port: number;
  close(): Promise<void>;
}

export async function startSshProxy(openStream: () => Promise<Duplex>): Promise<SshProxy> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
    socket.on("error", () => undefined);
    openStream().then(
      (stream) => {
        stream.on("error", () => socket.destroy());
        socket.pipe(stream);
        stream.pipe(socket);
        socket.on("close", () => stream.destroy());
        stream.on("close", () => socket.destroy());
      },
      () => socket.destroy(),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as net.AddressInfo).port;
  return {
    port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
