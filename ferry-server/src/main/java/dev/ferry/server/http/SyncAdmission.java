package dev.ferry.server.http;

import dev.ferry.core.error.ErrorCode;
import dev.ferry.core.error.FerryException;
import dev.ferry.server.config.Limits;

import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Admits syncs to the server (issue 12): at most {@code limits.concurrentSyncs} run at once; a sync
 * beyond waits, one of at most {@code limits.queuedSyncs}, up to {@code limits.syncQueueMillis} for a
 * slot (first come, first served), and is then refused with {@code SERVER_BUSY} (503, retriable,
 * {@code Retry-After}), having read and applied nothing. Waiting here, before the request is
 * authenticated or its body read, costs no pooled connection, and the body's minimum data rate does
 * not count it ({@link MinimumRateBody}). Per server process; thread-safe.
 */
final class SyncAdmission {
    /** Seconds a refused sync is told to wait; the client adds jitter so refused syncs do not return together. */
    static final int RETRY_AFTER_SECONDS = 1;

    private final Limits limits;
    private final Semaphore slots;
    private final AtomicInteger waiting = new AtomicInteger();

    SyncAdmission(Limits limits) {
        this.limits = limits;
        this.slots = new Semaphore(limits.concurrentSyncs(), true);
    }

    /** Returns once the caller holds a slot, which it must give back with {@link #leave}; else throws SERVER_BUSY. */
    void enter() {
        if (slots.tryAcquire()) {
            return;
        }
        if (waiting.incrementAndGet() > limits.queuedSyncs()) {
            waiting.decrementAndGet();
            throw busy(limits.queuedSyncs() + " more already wait for a slot (limits.queuedSyncs)");
        }
        try {
            if (!slots.tryAcquire(limits.syncQueueWait().toNanos(), TimeUnit.NANOSECONDS)) {
                throw busy("no slot came free within " + limits.syncQueueWait().toMillis() + " ms (limits.syncQueueMillis)");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw busy("the server is stopping");
        } finally {
            waiting.decrementAndGet();
        }
    }

    void leave() {
        slots.release();
    }

    private FerryException busy(String why) {
        return new FerryException(ErrorCode.SERVER_BUSY, "the server already runs " + limits.concurrentSyncs() + " syncs (limits.concurrentSyncs) and "
                + why + "; nothing was applied", "retry after the Retry-After seconds (the client does so itself)");
    }
}
