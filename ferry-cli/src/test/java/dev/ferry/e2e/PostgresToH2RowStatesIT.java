package dev.ferry.e2e;

/** Issue 10 row-state scenarios: postgresql consolidated, h2 remotes. */
class PostgresToH2RowStatesIT extends RowStateScenarios {
    @Override
    String consolidatedKind() {
        return "postgresql";
    }

    @Override
    String remoteKind() {
        return "h2";
    }
}
