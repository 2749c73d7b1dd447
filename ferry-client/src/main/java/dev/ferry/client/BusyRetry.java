package dev.ferry.client;

import dev.ferry.core.error.ErrorCode;
import dev.ferry.core.error.FerryException;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * When a sync sends its request again after {@code SERVER_BUSY} (issue 12). Only that answer is
 * retried: the server refuses it before it authenticates the request or reads its body, so nothing was
 * applied, and the same request body goes again (its upload number and id make even a replay of an
 * applied upload harmless: docs/GUARANTEES.md). Each pause is the server's {@code Retry-After} (1 s when
 * it gave none) stretched by up to half again at random, so the syncs a full server refused together
 * do not all return together; once the pauses would pass {@code budget} in total, the last
 * {@code SERVER_BUSY} is the sync's failure (retriable: the next sync tries again). One per request; not thread-safe.
 */
final class BusyRetry {
    private static final Duration DEFAULT_PAUSE = Duration.ofSeconds(1);
    private final Duration budget;
    private Duration waited = Duration.ZERO;
    private int retries;

    /** @param budget the longest all pauses together may take; zero: never retry */
    BusyRetry(Duration budget) {
        this.budget = budget;
    }

    /** Sleeps before the next attempt, or throws {@code busy} (with how long was waited) when the budget is spent. */
    void pauseAfter(ServerBusyException busy) {
        Duration pause = jittered(busy.retryAfter() == null ? DEFAULT_PAUSE : busy.retryAfter());
        if (waited.plus(pause).compareTo(budget) > 0) {
            if (retries == 0) {
                throw busy;
            }
            throw new FerryException(ErrorCode.SERVER_BUSY, busy.getMessage() + " (still busy after " + retries + " retries over "
                    + waited.toMillis() + " ms)", "sync again later, or let it wait longer (FERRY_BUSY_WAIT, --busy-wait)");
        }
        try {
            Thread.sleep(pause.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new FerryException(ErrorCode.SERVER_BUSY, "interrupted while waiting for a busy server: " + busy.getMessage());
        }
        waited = waited.plus(pause);
        retries++;
    }

    static Duration jittered(Duration retryAfter) {
        long ms = Math.max(1, retryAfter.toMillis());
        return Duration.ofMillis(ms + ThreadLocalRandom.current().nextLong(ms / 2 + 1));
    }
}
