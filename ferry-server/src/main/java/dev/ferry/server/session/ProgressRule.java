package dev.ferry.server.session;

import dev.ferry.core.error.ErrorCode;
import dev.ferry.core.error.FerryException;
import dev.ferry.protocol.SyncRequestHeader;
import dev.ferry.protocol.UploadRef;

/**
 * Owns the progress-counter rules (seed 002; the table in docs/GUARANTEES.md): given what the server
 * has recorded for a remote, read under that remote's row lock, and what the request says, decide
 * what this request may do. Nothing here writes; the session carries the verdict out.
 */
final class ProgressRule {
    private ProgressRule() {
    }

    /** What a request may do. */
    sealed interface Verdict permits Apply, AlreadyApplied, NotApplied, DownloadOnly, Restored {
    }

    /** Apply the carried upload as {@code number}; {@code reset}: first forget the server's state for the remote (counter 0). */
    record Apply(long number, boolean reset) implements Verdict {
    }

    /** A probe for an upload the server did commit: answer with its stored results, apply nothing. */
    record AlreadyApplied(long number) implements Verdict {
    }

    /** A probe for an upload the server never committed: say so, commit nothing. */
    record NotApplied() implements Verdict {
    }

    /** A download-only sync; {@code reset} as for {@link Apply}. */
    record DownloadOnly(boolean reset) implements Verdict {
    }

    /**
     * The remote has acknowledged uploads the server no longer has ({@code progress} above the server's):
     * the consolidated database went back in time (restored from a backup, or failed over to a replica
     * that missed them). The consolidated counter wins, as in MobiLink: nothing is applied, and the
     * remote sends its uploads after {@code serverProgress} again.
     */
    record Restored(long serverProgress) implements Verdict {
    }

    static Verdict judge(RemoteRecords.RemoteRow server, SyncRequestHeader h) {
        if (h.progress() > server.progress()) {
            return new Restored(server.progress());
        }
        if (h.isProbe()) {
            UploadRef asked = h.probe();
            // Both the number and the remote's own id for the upload must match: a copy of this remote
            // that built "the same" upload number is told the truth about its own upload (defect 7).
            if (server.progress() == asked.number() && asked.id().equals(server.lastUploadId())) {
                return new AlreadyApplied(asked.number());
            }
            if (h.progress() == 0 || h.progress() == server.progress()) {
                return new NotApplied();
            }
            throw mismatch(server, h);
        }
        boolean reset = h.progress() == 0;
        if (!reset && h.progress() != server.progress()) {
            throw mismatch(server, h);
        }
        if (!h.mode().uploads()) {
            return new DownloadOnly(reset);
        }
        return new Apply((reset ? 0 : server.progress()) + 1, reset);
    }

    private static FerryException mismatch(RemoteRecords.RemoteRow server, SyncRequestHeader h) {
        return new FerryException(ErrorCode.PROGRESS_MISMATCH, "progress counter mismatch for remote " + h.remoteId() + ": the remote has "
                + h.progress() + ", the consolidated database expects " + server.progress(),
                "the remote may be an old backup or belong to another server: run `ferry remote reset` on it (keeps its unsynced changes; the next sync uploads them and downloads everything)");
    }
}
