package dev.ferry.client;

import java.util.List;

/**
 * What one sync did.
 *
 * @param tables        per-table counts, in foreign-key order
 * @param progress      the remote's progress counter afterwards
 * @param lastDownload  the download position the remote now has everything up to
 * @param uploadRetries times the server replayed the upload after deadlocks
 * @param recoveredAcknowledgement true when an earlier upload whose answer was lost turned out to be committed
 */
public record SyncResult(List<TableCounts> tables, long progress, long lastDownload, int uploadRetries, boolean recoveredAcknowledgement) {
    public long uploaded() {
        return tables.stream().mapToLong(TableCounts::uploaded).sum();
    }

    public long downloaded() {
        return tables.stream().mapToLong(TableCounts::downloaded).sum();
    }

    public long errors() {
        return tables.stream().mapToLong(TableCounts::errors).sum();
    }

    public long conflicts() {
        return tables.stream().mapToLong(TableCounts::conflicts).sum();
    }

    /** This sync's upload and a download that followed it in the same call (after a schema upgrade): counts added per table. */
    SyncResult followedBy(SyncResult download) {
        java.util.Map<String, TableCounts> byTable = new java.util.LinkedHashMap<>();
        for (TableCounts t : download.tables) {
            byTable.put(t.table(), t);
        }
        for (TableCounts t : tables) {
            byTable.merge(t.table(), t, TableCounts::plus);
        }
        return new SyncResult(List.copyOf(byTable.values()), download.progress, download.lastDownload, uploadRetries, recoveredAcknowledgement);
    }
}
