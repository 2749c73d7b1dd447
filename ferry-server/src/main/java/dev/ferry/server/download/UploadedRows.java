package dev.ferry.server.download;

import dev.ferry.core.schema.TableDef;

/**
 * The rows the remote being served uploaded in this session, which its download leaves out unless
 * the consolidated row now differs (seeds 003, 004). Implemented by the held upload.
 */
public interface UploadedRows {
    /** No rows: a download that follows no upload (a download file). */
    UploadedRows NONE = new UploadedRows() {
        @Override
        public boolean uploadedSame(TableDef table, Object[] row) {
            return false;
        }

        @Override
        public boolean uploadedDelete(TableDef table, Object[] key) {
            return false;
        }
    };

    /** True when this exact row (every column equal) was uploaded. */
    boolean uploadedSame(TableDef table, Object[] row);

    /** True when this key was uploaded as a delete. */
    boolean uploadedDelete(TableDef table, Object[] key);
}
