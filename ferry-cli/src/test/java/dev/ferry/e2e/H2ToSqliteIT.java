package dev.ferry.e2e;

/** Issue 2 scenarios: h2 consolidated, sqlite remotes. */
class H2ToSqliteIT extends SyncScenarios {
    @Override
    String consolidatedKind() {
        return "h2";
    }

    @Override
    String remoteKind() {
        return "sqlite";
    }
}
