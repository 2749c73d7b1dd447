package dev.ferry.server.config;

import dev.ferry.core.error.ErrorCode;
import dev.ferry.core.error.FerryException;

/** What the server does when some rows of an upload cannot be applied. */
public enum UploadPolicy {
    /** Apply the good rows, report each bad one (the remote marks it {@code error}). The default. */
    PER_ROW("per-row"),
    /** Apply nothing if any row fails; the sync fails with UPLOAD_REJECTED naming the rows. */
    ALL_OR_NOTHING("all-or-nothing");

    private final String text;

    UploadPolicy(String text) {
        this.text = text;
    }

    public String text() {
        return text;
    }

    public static UploadPolicy parse(String s) {
        for (UploadPolicy p : values()) {
            if (p.text.equals(s)) {
                return p;
            }
        }
        throw new FerryException(ErrorCode.CONFIG_INVALID, "unknown upload policy " + s);
    }
}
