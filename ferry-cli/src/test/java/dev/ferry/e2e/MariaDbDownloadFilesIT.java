package dev.ferry.e2e;

/** Issue 6 download-file scenarios: MariaDB consolidated, H2 remotes. */
class MariaDbDownloadFilesIT extends DownloadFileScenarios {
    @Override
    String consolidatedKind() {
        return "mariadb";
    }

    @Override
    String remoteKind() {
        return "h2";
    }
}
