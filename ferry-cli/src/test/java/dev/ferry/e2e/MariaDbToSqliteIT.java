package dev.ferry.e2e;

/** Issue 2 scenarios: mariadb consolidated, sqlite remotes. */
class MariaDbToSqliteIT extends SyncScenarios {
    @Override
    String consolidatedKind() {
        return "mariadb";
    }

    @Override
    String remoteKind() {
        return "sqlite";
    }
}
