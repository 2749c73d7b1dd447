package dev.ferry.e2e;

import java.sql.Connection;

/** Issue 3 concurrency scenarios on PostgreSQL. */
class PostgresConcurrencyIT extends ConcurrencyScenarios {
    @Override
    String consolidatedKind() {
        return "postgresql";
    }

    /**
     * PostgreSQL aborts the session whose own deadlock check (after deadlock_timeout of waiting) finds
     * the cycle. With a long timeout here, that is always the upload's session (1 s, the default).
     */
    @Override
    void makeTheOtherTransactionWinDeadlocks(Connection other) throws Exception {
        exec(other, "SET LOCAL deadlock_timeout = '60s'");
    }
}
