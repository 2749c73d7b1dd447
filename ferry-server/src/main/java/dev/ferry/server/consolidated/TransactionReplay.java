package dev.ferry.server.consolidated;

import dev.ferry.core.error.ErrorCode;
import dev.ferry.core.error.FerryException;
import dev.ferry.dialect.ConsolidatedDialect;
import dev.ferry.dialect.SqlFailure;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The one retry helper of the server: runs a step in a transaction and, when the database asks for
 * the transaction to be rolled back and run again (deadlock victim, serialization failure, lock
 * timeout: the dialect's {@code classify} says so by SQLState and vendor code, never by message),
 * rolls it back and runs the whole step again from its start after a jittered exponential back-off
 * (seed 003: "roll back and apply the whole upload again"). Any other failure rolls back and
 * propagates. A step must therefore be safe to run again after a rollback: everything it did is undone
 * by the rollback, and it must not keep state across attempts except what it re-reads. Thread-safe.
 */
public final class TransactionReplay {
    private static final Logger LOG = LoggerFactory.getLogger(TransactionReplay.class);
    private static final long MAX_BACKOFF_MS = 5_000;

    /** A unit of work inside one transaction of {@code c}; {@code attempt} counts from 0. */
    @FunctionalInterface
    public interface Step<T> {
        T run(Connection c, int attempt) throws SQLException;
    }

    /** What a replayed step returned, and how many times it was rolled back and run again. */
    public record Replayed<T>(T value, int retries) {
    }

    /** Thrown inside a step to ask for a replay for a failure the step detected itself (a row it had to retry). */
    public static final class ReplayRequested extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public ReplayRequested(SQLException cause) {
            super(cause.getMessage(), cause);
        }

        SQLException sqlCause() {
            return (SQLException) getCause();
        }
    }

    private final ConsolidatedDialect dialect;
    private final int maxRetries;
    private final Duration backoff;
    private final AtomicLong retriesTotal = new AtomicLong();

    public TransactionReplay(ConsolidatedDialect dialect, int maxRetries, Duration backoff) {
        this.dialect = dialect;
        this.maxRetries = maxRetries;
        this.backoff = backoff;
    }

    /**
     * Runs {@code step} on {@code c} (autocommit must be off) and commits; replays it after a retriable
     * failure up to the configured number of retries, then fails with {@link ErrorCode#RETRIES_EXHAUSTED}.
     *
     * @param what names the work for messages and the log, e.g. "the upload of remote shop-a"
     */
    public <T> Replayed<T> run(Connection c, String what, Step<T> step) throws SQLException {
        int retries = 0;
        while (true) {
            SQLException retriable;
            try {
                T value = step.run(c, retries);
                c.commit();
                return new Replayed<>(value, retries);
            } catch (ReplayRequested e) {
                c.rollback();
                retriable = e.sqlCause();
            } catch (SQLException e) {
                c.rollback();
                if (dialect.classify(e).kind() != SqlFailure.Kind.RETRY_TRANSACTION) {
                    throw e;
                }
                retriable = e;
            } catch (RuntimeException e) {
                c.rollback();
                throw e;
            }
            backOff(what, retries, retriable);
            retries++;
        }
    }

    /** Retries since the server started, for every step. */
    public long retriesTotal() {
        return retriesTotal.get();
    }

    private void backOff(String what, int retries, SQLException cause) {
        if (retries >= maxRetries) {
            throw new FerryException(ErrorCode.RETRIES_EXHAUSTED, what + " hit a deadlock or lock timeout " + (retries + 1)
                    + " times; last: " + cause.getMessage(), "sync again; if it persists, look for long transactions on the consolidated database");
        }
        retriesTotal.incrementAndGet();
        long cap = Math.min(MAX_BACKOFF_MS, backoff.toMillis() << Math.min(retries, 16));
        long sleep = cap <= 0 ? 0 : ThreadLocalRandom.current().nextLong(cap / 2, cap + 1);
        LOG.warn("{}: rolled back ({}, SQLState {}); running it again from the start in {} ms (retry {} of {})",
                what, cause.getMessage(), cause.getSQLState(), sleep, retries + 1, maxRetries);
        try {
            Thread.sleep(sleep);
        } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
            throw new FerryException(ErrorCode.INTERNAL, "interrupted while waiting to retry " + what);
        }
    }
}
