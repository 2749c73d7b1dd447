package dev.ferry.e2e;

/** Issue 6 download-file scenarios: PostgreSQL consolidated, SQLite remotes changed with {@code sqlite3}. */
class PostgresDownloadFilesIT extends DownloadFileScenarios {
    @Override
    String consolidatedKind() {
        return "postgresql";
    }

    @Override
    String remoteKind() {
        return "sqlite";
    }
}
