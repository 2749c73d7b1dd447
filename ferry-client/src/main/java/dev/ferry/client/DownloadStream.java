package dev.ferry.client;

import dev.ferry.core.schema.TableDef;
import dev.ferry.protocol.SyncResponseHandler;

/**
 * The part of receiving a download that a sync and a download file share: downloaded tables resolve
 * to the remote's own definitions, and rows go to {@link DownloadRows}.
 */
abstract class DownloadStream implements SyncResponseHandler {
    private final RemoteTables tables;
    final DownloadRows rows;

    DownloadStream(RemoteTables tables, DownloadRows rows) {
        this.tables = tables;
        this.rows = rows;
    }

    @Override
    public final TableDef table(String name) {
        return tables.table(name);
    }

    @Override
    public void beginTable(TableDef table) {
        rows.begin();
    }

    @Override
    public final void upsert(TableDef table, Object[] values) {
        rows.upsert(table, values);
    }

    @Override
    public final void delete(TableDef table, Object[] key) {
        rows.delete(table, key);
    }
}
