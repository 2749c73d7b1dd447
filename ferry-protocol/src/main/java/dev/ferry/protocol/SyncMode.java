package dev.ferry.protocol;

import dev.ferry.core.error.ErrorCode;
import dev.ferry.core.error.FerryException;
import dev.ferry.core.error.Shown;

/** What a sync does: both directions, or one. */
public enum SyncMode {
    FULL("full"), UPLOAD_ONLY("upload-only"), DOWNLOAD_ONLY("download-only");

    private final String wire;

    SyncMode(String wire) {
        this.wire = wire;
    }

    public String wire() {
        return wire;
    }

    public boolean uploads() {
        return this != DOWNLOAD_ONLY;
    }

    public boolean downloads() {
        return this != UPLOAD_ONLY;
    }

    public static SyncMode fromWire(String s) {
        for (SyncMode m : values()) {
            if (m.wire.equals(s)) {
                return m;
            }
        }
        throw new FerryException(ErrorCode.PROTOCOL_ERROR, "unknown sync mode " + Shown.quoted(s));
    }
}
