package dev.ferry.server.conflict;

/**
 * A policy's answer to one conflict.
 *
 * @param resolution what to do with the consolidated row; null when a SQL procedure already did it
 * @param outcome    the short label the conflict log shows (server-kept, remote-applied, merged, ...)
 * @param detail     why, for the log; may be null
 */
public record Decision(Resolution resolution, String outcome, String detail) {

    public static Decision of(Resolution resolution, String detail) {
        return new Decision(resolution, outcomeOf(resolution), detail);
    }

    static Decision writtenByProcedure(String detail) {
        return new Decision(null, "procedure", detail);
    }

    private static String outcomeOf(Resolution r) {
        if (r instanceof Resolution.KeepServer) {
            return "server-kept";
        }
        if (r instanceof Resolution.TakeRemote) {
            return "remote-applied";
        }
        return r instanceof Resolution.Delete ? "deleted" : "row-written";
    }
}
