package dev.ferry.client;

/** Per-table figures of one sync. */
public record TableCounts(String table, long uploaded, long downloaded, long errors, long conflicts) {
    TableCounts plusUploaded(long n) {
        return new TableCounts(table, uploaded + n, downloaded, errors, conflicts);
    }

    TableCounts plusDownloaded(long n) {
        return new TableCounts(table, uploaded, downloaded + n, errors, conflicts);
    }

    TableCounts plusErrors(long n) {
        return new TableCounts(table, uploaded, downloaded, errors + n, conflicts);
    }

    TableCounts plus(TableCounts o) {
        return new TableCounts(table, uploaded + o.uploaded, downloaded + o.downloaded, errors + o.errors, conflicts + o.conflicts);
    }

    TableCounts plusConflicts(long n) {
        return new TableCounts(table, uploaded, downloaded, errors, conflicts + n);
    }
}
