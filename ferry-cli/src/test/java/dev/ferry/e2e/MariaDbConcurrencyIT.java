package dev.ferry.e2e;

import java.sql.Connection;

/** Issue 3 concurrency scenarios on MariaDB. */
class MariaDbConcurrencyIT extends ConcurrencyScenarios {
    @Override
    String consolidatedKind() {
        return "mariadb";
    }

    /**
     * InnoDB detects a deadlock at once and rolls back the transaction of smaller weight (rows
     * changed and locked). Thousands of rows written here make the small upload the lighter one.
     */
    @Override
    void makeTheOtherTransactionWinDeadlocks(Connection other) throws Exception {
        exec(other, "INSERT INTO ballast SELECT seq FROM seq_1_to_5000");
    }
}
