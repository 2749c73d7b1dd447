package dev.ferry.client;

/** Which directions a sync runs. */
public enum SyncMode {
    FULL, UPLOAD_ONLY, DOWNLOAD_ONLY;

    dev.ferry.protocol.SyncMode wire() {
        return switch (this) {
            case FULL -> dev.ferry.protocol.SyncMode.FULL;
            case UPLOAD_ONLY -> dev.ferry.protocol.SyncMode.UPLOAD_ONLY;
            case DOWNLOAD_ONLY -> dev.ferry.protocol.SyncMode.DOWNLOAD_ONLY;
        };
    }
}
