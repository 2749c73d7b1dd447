package dev.ferry.e2e;

/** Issue 10 row-state scenarios: mariadb consolidated, h2 remotes. */
class MariaDbToH2RowStatesIT extends RowStateScenarios {
    @Override
    String consolidatedKind() {
        return "mariadb";
    }

    @Override
    String remoteKind() {
        return "h2";
    }
}
