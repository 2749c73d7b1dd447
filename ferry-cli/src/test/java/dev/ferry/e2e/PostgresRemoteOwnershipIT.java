package dev.ferry.e2e;

/** Issue 10 (defects 4 and 5) remote ownership scenarios on PostgreSQL. */
class PostgresRemoteOwnershipIT extends RemoteOwnershipScenarios {
    @Override
    String consolidatedKind() {
        return "postgresql";
    }
}
