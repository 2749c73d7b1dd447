package dev.ferry.e2e;

/** Issue 10 row-state scenarios: mariadb consolidated, sqlite remotes. */
class MariaDbToSqliteRowStatesIT extends RowStateScenarios {
    @Override
    String consolidatedKind() {
        return "mariadb";
    }

    @Override
    String remoteKind() {
        return "sqlite";
    }
}
