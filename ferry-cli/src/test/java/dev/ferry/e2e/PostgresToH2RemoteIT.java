package dev.ferry.e2e;

/** Issue 2 scenarios: postgresql consolidated, h2 remotes. */
class PostgresToH2RemoteIT extends SyncScenarios {
    @Override
    String consolidatedKind() {
        return "postgresql";
    }

    @Override
    String remoteKind() {
        return "h2";
    }
}
