package dev.ferry.server.download;

/**
 * Which remote database's own uploads a download leaves out (seeds 003, 004): rows whose shadow row
 * names its incarnation token as the origin of their last change ({@code ferry_origin}, set by the
 * upload's {@code EchoTags}, cleared by every other write). {@code incarnation} null (a remote made
 * before incarnations, or a download file, which may serve a group of remotes): nothing is left out.
 */
public record EchoFilter(String incarnation, boolean uploadedNow) {
    /** Nothing left out. */
    public static final EchoFilter NONE = new EchoFilter(null, false);

    /**
     * Whether a first (full) download must look for echoes too: only when this very sync uploaded rows.
     * Then the remote's rows are left out by an anti-join with the shadow table; otherwise the full
     * read stays a plain scan (an echo of an earlier sync, should one be sent, only repeats the
     * remote's own values).
     */
    public boolean filtersFullDownload() {
        return incarnation != null && uploadedNow;
    }

    /** The value the download statements compare {@code ferry_origin} with: no token is empty, so "" matches none. */
    public String bound() {
        return incarnation == null ? "" : incarnation;
    }

    /** True when a row whose last change came from {@code origin} is this remote database's own. */
    public boolean isEcho(String origin) {
        return incarnation != null && incarnation.equals(origin);
    }
}
