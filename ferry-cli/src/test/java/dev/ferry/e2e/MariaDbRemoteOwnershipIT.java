package dev.ferry.e2e;

/** Issue 10 (defects 4 and 5) remote ownership scenarios on MariaDB. */
class MariaDbRemoteOwnershipIT extends RemoteOwnershipScenarios {
    @Override
    String consolidatedKind() {
        return "mariadb";
    }
}
