package dev.ferry.client;

import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A response body read as an {@link InputStream} whose reads fail with an {@link HttpTimeoutException}
 * once the server has sent nothing for the read timeout, which the JDK client's own
 * {@code ofInputStream()} cannot do (its reads wait forever). The timeout runs from the last bytes
 * that arrived, so a long download that keeps coming is never cut. A timed-out or closed stream
 * cancels the exchange, which closes the connection. At most one chunk is buffered beyond what the
 * reader has taken. For one response; read by one thread.
 */
final class IdleTimeoutBody implements HttpResponse.BodySubscriber<InputStream> {
    private static final Object END = new Object();

    private final Duration readTimeout;
    private final BlockingQueue<Object> arrived = new LinkedBlockingQueue<>();
    private final CompletableFuture<InputStream> body;
    private volatile Flow.Subscription subscription;
    private volatile boolean cancelled;

    IdleTimeoutBody(Duration readTimeout) {
        this.readTimeout = readTimeout;
        this.body = CompletableFuture.completedFuture(new Stream());
    }

    @Override
    public CompletionStage<InputStream> getBody() {
        return body;
    }

    @Override
    public void onSubscribe(Flow.Subscription s) {
        subscription = s;
        if (cancelled) {
            s.cancel();
        } else {
            s.request(1);
        }
    }

    @Override
    public void onNext(List<ByteBuffer> buffers) {
        arrived.add(buffers);
    }

    @Override
    public void onError(Throwable t) {
        arrived.add(t);
    }

    @Override
    public void onComplete() {
        arrived.add(END);
    }

    private final class Stream extends InputStream {
        private Iterator<ByteBuffer> chunk = List.<ByteBuffer>of().iterator();
        private ByteBuffer current = ByteBuffer.allocate(0);
        private boolean ended;
        private boolean closed;

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (len == 0) {
                return 0;
            }
            if (!fill()) {
                return -1;
            }
            int n = Math.min(len, current.remaining());
            current.get(b, off, n);
            return n;
        }

        /** Makes {@code current} non-empty, waiting at most the read timeout for more; false at the end of the body. */
        private boolean fill() throws IOException {
            while (!current.hasRemaining()) {
                if (chunk.hasNext()) {
                    current = chunk.next();
                    continue;
                }
                if (ended) {
                    return false;
                }
                if (closed) {
                    throw new IOException("response body closed");
                }
                Object next;
                try {
                    next = arrived.poll(readTimeout.toNanos(), TimeUnit.NANOSECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    close();
                    throw new IOException("interrupted while waiting for the server", e);
                }
                if (next == null) {
                    close();
                    throw new HttpTimeoutException("the server sent nothing for " + readTimeout.toMillis() + " ms in the middle of its answer");
                }
                if (next == END) {
                    ended = true;
                } else if (next instanceof Throwable t) {
                    ended = true;
                    throw t instanceof IOException io ? io : new IOException(t);
                } else {
                    @SuppressWarnings("unchecked")
                    List<ByteBuffer> buffers = (List<ByteBuffer>) next;
                    chunk = buffers.iterator();
                    subscription.request(1);
                }
            }
            return true;
        }

        @Override
        public void close() {
            if (!closed && !ended) {
                cancelled = true;
                Flow.Subscription s = subscription;
                if (s != null) {
                    s.cancel();
                }
            }
            closed = true;
        }
    }
}
