package dev.ferry.e2e;

/** Issue 2 scenarios: h2 consolidated, h2 remotes. */
class H2ToH2RemoteIT extends SyncScenarios {
    @Override
    String consolidatedKind() {
        return "h2";
    }

    @Override
    String remoteKind() {
        return "h2";
    }
}
