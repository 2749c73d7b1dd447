package dev.ferry.e2e;

/** Issue 2 scenarios: postgresql consolidated, sqlite remotes. */
class PostgresToSqliteIT extends SyncScenarios {
    @Override
    String consolidatedKind() {
        return "postgresql";
    }

    @Override
    String remoteKind() {
        return "sqlite";
    }
}
