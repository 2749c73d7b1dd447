package dev.ferry.e2e;

/** Issue 2 scenarios: mariadb consolidated, h2 remotes. */
class MariaDbToH2RemoteIT extends SyncScenarios {
    @Override
    String consolidatedKind() {
        return "mariadb";
    }

    @Override
    String remoteKind() {
        return "h2";
    }
}
