package dev.ferry.e2e;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A TCP proxy on 127.0.0.1 between a remote and the server that can break the connection at a chosen
 * point: after N bytes of the request (the upload never arrives whole) or after N bytes of the
 * response (N = 0: the server committed but the remote never hears back). Faults apply to the next
 * connection only, then the proxy passes traffic through again. Two more: {@link #dropRequestsStartingWith}
 * cuts every request with a given request line, on whichever connection carries it, until turned off;
 * {@link #stallResponseAfter} forwards part of a response and then holds the rest back, so the remote
 * is stuck in the middle of a download for as long as a test needs; {@link #swallowNextConnection}
 * accepts a connection and never answers it; {@link #throttleNextResponse} delivers a response slowly.
 */
final class FaultyProxy implements AutoCloseable {
    private final ServerSocket listener;
    private final int target;
    private final ExecutorService pool = Executors.newCachedThreadPool();
    private volatile long cutRequestAfter = -1;
    private volatile long cutResponseAfter = -1;
    private volatile long stallResponseAfter = -1;
    private volatile byte[] dropRequestsStartingWith;
    private volatile boolean swallowNext;
    private volatile int throttleChunk = -1;
    private volatile long throttlePauseMillis;
    /** The sum of the pauses throttled responses made, a lower bound of how long they took. */
    final AtomicLong throttledMillis = new AtomicLong();
    private final CountDownLatch closed = new CountDownLatch(1);
    final AtomicLong faultsInjected = new AtomicLong();
    /** Set once a stalled response has forwarded its part and is holding the rest back. */
    final AtomicBoolean stalled = new AtomicBoolean();

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

    /**
     * Forwards the first {@code bytes} of the next connection's response, then forwards nothing more
     * (the connection stays open) until the proxy is closed or the remote goes away.
     */
    void stallResponseAfter(long bytes) {
        stalled.set(false);
        stallResponseAfter = bytes;
    }

    /**
     * The next connection is accepted and its request read, but it never reaches the server and never
     * gets a byte of answer: a server that accepts and then hangs.
     */
    void swallowNextConnection() {
        swallowNext = true;
    }

    /**
     * Forwards the next connection's response in parts of {@code chunkBytes}, pausing {@code pauseMillis}
     * before each: a slow but healthy server.
     */
    void throttleNextResponse(int chunkBytes, long pauseMillis) {
        throttlePauseMillis = pauseMillis;
        throttleChunk = chunkBytes;
    }

    /**
     * Cuts every request whose request line starts with {@code requestLinePrefix} (e.g. {@code "POST /v1/sync/ack"}),
     * closing its connection before the request reaches the server whole; {@code null} turns this off.
     * Applies to every connection, including kept-alive ones that already carried other requests.
     */
    void dropRequestsStartingWith(String requestLinePrefix) {
        dropRequestsStartingWith = requestLinePrefix == null ? null : requestLinePrefix.getBytes(StandardCharsets.US_ASCII);
    }

    private void accept() {
        while (!listener.isClosed()) {
            try {
                Socket client = listener.accept();
                if (swallowNext) {
                    swallowNext = false;
                    faultsInjected.incrementAndGet();
                    pool.submit(() -> swallow(client));
                    continue;
                }
                Socket server = new Socket(InetAddress.getLoopbackAddress(), target);
                long req = cutRequestAfter;
                long resp = cutResponseAfter;
                long stall = stallResponseAfter;
                int chunk = throttleChunk;
                long pause = throttlePauseMillis;
                cutRequestAfter = -1;
                cutResponseAfter = -1;
                stallResponseAfter = -1;
                throttleChunk = -1;
                pool.submit(() -> pumpRequests(client, server, req));
                pool.submit(() -> stall >= 0 ? stall(server, client, stall) : chunk > 0 ? throttle(server, client, chunk, pause)
                        : pump(server, client, resp));
            } catch (IOException e) {
                return;
            }
        }
    }

    /** Client to server: {@link #pump} with a byte limit, otherwise forwards while watching for dropped requests. */
    private Void pumpRequests(Socket from, Socket to, long limit) {
        if (limit >= 0) {
            return pump(from, to, limit);
        }
        byte[] buf = new byte[8192];
        // The last bytes already forwarded, so a request line split across two reads is still seen.
        byte[] tail = new byte[0];
        try (from; to) {
            InputStream in = from.getInputStream();
            OutputStream out = to.getOutputStream();
            int n;
            while ((n = in.read(buf)) > 0) {
                byte[] marker = dropRequestsStartingWith;
                if (marker == null) {
                    out.write(buf, 0, n);
                    out.flush();
                    continue;
                }
                byte[] seen = new byte[tail.length + n];
                System.arraycopy(tail, 0, seen, 0, tail.length);
                System.arraycopy(buf, 0, seen, tail.length, n);
                int at = indexOf(seen, marker);
                if (at >= 0) {
                    // Forward what precedes the request (if a part of its line already went, the server
                    // holds a truncated request line it never answers), then cut.
                    out.write(buf, 0, Math.max(0, at - tail.length));
                    out.flush();
                    faultsInjected.incrementAndGet();
                    return null;
                }
                out.write(buf, 0, n);
                out.flush();
                tail = Arrays.copyOfRange(seen, Math.max(0, seen.length - (marker.length - 1)), seen.length);
            }
        } catch (IOException e) {
            // the other side went away
        }
        return null;
    }

    private static int indexOf(byte[] data, byte[] marker) {
        outer:
        for (int i = 0; i + marker.length <= data.length; i++) {
            for (int j = 0; j < marker.length; j++) {
                if (data[i + j] != marker[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    /** Server to client: forwards {@code limit} bytes, then holds the rest back until the proxy closes or the client leaves. */
    private Void stall(Socket from, Socket to, long limit) {
        byte[] buf = new byte[8192];
        long sent = 0;
        try (from; to) {
            InputStream in = from.getInputStream();
            OutputStream out = to.getOutputStream();
            while (sent < limit) {
                int n = in.read(buf, 0, (int) Math.min(buf.length, limit - sent));
                if (n < 0) {
                    return null;
                }
                out.write(buf, 0, n);
                out.flush();
                sent += n;
            }
            faultsInjected.incrementAndGet();
            stalled.set(true);
            closed.await();
        } catch (IOException e) {
            // the other side went away
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return null;
    }

    /** Reads and drops whatever the client sends, answers nothing, until the client or the proxy closes. */
    private Void swallow(Socket client) {
        byte[] buf = new byte[8192];
        try (client) {
            InputStream in = client.getInputStream();
            while (in.read(buf) >= 0) {
                // dropped
            }
        } catch (IOException e) {
            // the client gave up or the proxy closed
        }
        return null;
    }

    private Void throttle(Socket from, Socket to, int chunk, long pauseMillis) {
        byte[] buf = new byte[chunk];
        try (from; to) {
            InputStream in = from.getInputStream();
            OutputStream out = to.getOutputStream();
            int n;
            while ((n = in.read(buf)) > 0) {
                Thread.sleep(pauseMillis);
                throttledMillis.addAndGet(pauseMillis);
                out.write(buf, 0, n);
                out.flush();
            }
        } catch (IOException e) {
            // the other side went away
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return null;
    }

    private Void pump(Socket from, Socket to, long limit) {
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
                    return null;
                }
                out.write(buf, 0, n);
                out.flush();
                sent += n;
            }
        } catch (IOException e) {
            // the other side went away: that is the point
        }
        return null;
    }

    @Override
    public void close() throws IOException {
        listener.close();
        closed.countDown();
        pool.shutdownNow();
    }
}
