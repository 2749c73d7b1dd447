package dev.ferry.e2e;

/** Issue 10 row-state scenarios: postgresql consolidated, sqlite remotes. */
class PostgresToSqliteRowStatesIT extends RowStateScenarios {
    @Override
    String consolidatedKind() {
        return "postgresql";
    }

    @Override
    String remoteKind() {
        return "sqlite";
    }
}
