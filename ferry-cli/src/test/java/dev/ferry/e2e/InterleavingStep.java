package dev.ferry.e2e;

import dev.ferry.client.SyncMode;

import java.util.List;
import java.util.Locale;

/** One step of {@link SyncInterleavingProperty}'s action sequences. */
sealed interface InterleavingStep {
    /** The application on remote {@code remote} writes through its own plain connection. */
    record AppWrite(int remote, RowWrite write) implements InterleavingStep {
        @Override
        public String toString() {
            return "R" + remote + " app: " + write;
        }
    }

    /** Another application writes on the consolidated database through plain JDBC. */
    record ServerWrite(RowWrite write) implements InterleavingStep {
        @Override
        public String toString() {
            return "server app: " + write;
        }
    }

    /** A sync of remote {@code remote}; {@code interruption} may be null. */
    record Sync(int remote, SyncMode mode, Fault fault, Interruption interruption) implements InterleavingStep {
        @Override
        public String toString() {
            return "R" + remote + " sync " + mode.name().toLowerCase(Locale.ROOT).replace('_', '-')
                    + (fault == Fault.NONE ? "" : ", " + fault.text) + (interruption == null ? "" : ", " + interruption);
        }
    }

    /** What the network does to the sync's first connection (the probe's, when an earlier answer was lost). */
    enum Fault {
        NONE("no fault"),
        /** Cut before the server saw a byte: it never applies the request. */
        REQUEST_CUT("request cut before the server sees it"),
        /** Cut before the first byte of the answer, i.e. after the server committed. */
        ANSWER_LOST("answer lost after the server committed"),
        /** Cut after a few hundred bytes of the answer: the upload's results may arrive, the download does not. */
        ANSWER_CUT("answer cut part-way"),
        /** The download acknowledgement never arrives. */
        ACK_LOST("download acknowledgement lost");

        final String text;

        Fault(String text) {
            this.text = text;
        }

        boolean cuts() {
            return this == REQUEST_CUT || this == ANSWER_LOST || this == ANSWER_CUT;
        }
    }

    /** Transitions of a sync that the client reports through its public {@code SyncListener}. */
    enum Moment {
        /** Phase "upload": nothing marked or sent yet. */
        BEFORE_UPLOAD,
        /** The first row was written into the upload (its local transaction is open). */
        BUILDING_UPLOAD,
        /** Phase "apply-results": the server committed the upload; the remote has not settled its rows. */
        APPLY_RESULTS,
        /** Phase "download": the upload is settled; the download transaction has not begun. */
        BEFORE_DOWNLOAD,
        /** The first downloaded row was applied (the download transaction is open). */
        DURING_DOWNLOAD
    }

    /** Something that happens at a moment of a sync (the first time the sync reaches it). */
    sealed interface Interruption {
        Moment at();
    }

    /** The client process dies: simulated by throwing from the listener, which aborts the sync as a crash does. */
    record Crash(Moment at) implements Interruption {
        @Override
        public String toString() {
            return "client crashes at " + at;
        }
    }

    /** The remote's application writes while the sync runs (only at moments without an open local transaction). */
    record AppWritesDuring(Moment at, List<RowWrite> writes) implements Interruption {
        @Override
        public String toString() {
            return "at " + at + " the app writes " + writes;
        }
    }

    /** Another application writes on the consolidated database while the sync runs. */
    record ServerWritesDuring(Moment at, List<RowWrite> writes) implements Interruption {
        @Override
        public String toString() {
            return "at " + at + " the server app writes " + writes;
        }
    }
}
