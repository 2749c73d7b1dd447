package dev.ferry.protocol;

import dev.ferry.core.schema.TableDef;

/** Receives upload rows as a request is read. */
@FunctionalInterface
public interface UploadSink {
    void row(TableDef table, UploadRow row);
}
