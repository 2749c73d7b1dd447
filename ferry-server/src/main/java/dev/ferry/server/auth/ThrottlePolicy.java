package dev.ferry.server.auth;

import java.time.Duration;

/**
 * When failed logins block a subject (a user name, a client address, a remote id): {@code maxFailures}
 * failures within {@code window} block it for {@code block}, each further block in a row twice as
 * long as the one before, at most {@code maxBlock}. Immutable; validated by {@code ServerConfig}.
 */
public record ThrottlePolicy(int maxFailures, Duration window, Duration block, Duration maxBlock) {
    public static final int DEFAULT_MAX_FAILURES = 5;
    public static final long DEFAULT_WINDOW_SECONDS = 300;
    public static final long DEFAULT_BLOCK_SECONDS = 60;
    public static final long DEFAULT_MAX_BLOCK_SECONDS = 3600;

    /** How long the block number {@code blocksInARow} (1 for the first) lasts. */
    Duration blockFor(int blocksInARow) {
        Duration d = block;
        for (int i = 1; i < blocksInARow && d.compareTo(maxBlock) < 0; i++) {
            d = d.multipliedBy(2);
        }
        return d.compareTo(maxBlock) > 0 ? maxBlock : d;
    }
}
