package dev.ferry.e2e;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A TCP proxy on 127.0.0.1 between a remote and the server that can break the connection at a chosen
 * point: after N bytes of the request (the upload never arrives whole) or after N bytes of the
 * response (N = 0: the server committed but the remote never hears back). Faults apply to the next
 * connection only, then the proxy passes traffic through again.
 */
final class FaultyProxy implements AutoCloseable {
    private final ServerSocket listener;
    private final int target;
    private final ExecutorService pool = Executors.newCachedThreadPool();
    private volatile long cutRequestAfter = -1;
    private volatile long cutResponseAfter = -1;
    final AtomicLong faultsInjected = new AtomicLong();

    FaultyProxy(int targetPort) throws IOException {
        this.target = targetPort;
        this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        pool.submit(this::accept);
    }

    int port() {
        return listener.getLocalPort();
    }

    String url() {
        return "http://127.0.0.1:" + port();
    }

    void cutRequestAfter(long bytes) {
        cutRequestAfter = bytes;
    }

    void cutResponseAfter(long bytes) {
        cutResponseAfter = bytes;
    }

    private void accept() {
        while (!listener.isClosed()) {
            try {
                Socket client = listener.accept();
                Socket server = new Socket(InetAddress.getLoopbackAddress(), target);
                long req = cutRequestAfter;
                long resp = cutResponseAfter;
                cutRequestAfter = -1;
                cutResponseAfter = -1;
                pool.submit(() -> pump(client, server, req));
                pool.submit(() -> pump(server, client, resp));
            } catch (IOException e) {
                return;
            }
        }
    }

    private void pump(Socket from, Socket to, long limit) {
        byte[] buf = new byte[8192];
        long sent = 0;
        try (from; to) {
            InputStream in = from.getInputStream();
            OutputStream out = to.getOutputStream();
            int n;
            while ((n = in.read(buf)) > 0) {
                if (limit >= 0 && sent + n > limit) {
                    out.write(buf, 0, (int) (limit - sent));
                    out.flush();
                    faultsInjected.incrementAndGet();
                    // Closing both sides now: for a response this happens after the server committed,
                    // because it commits before it sends the first byte.
                    return;
                }
                out.write(buf, 0, n);
                out.flush();
                sent += n;
            }
        } catch (IOException e) {
            // the other side went away: that is the point
        }
    }

    @Override
    public void close() throws IOException {
        listener.close();
        pool.shutdownNow();
    }
}
