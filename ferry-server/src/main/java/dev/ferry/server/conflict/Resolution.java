package dev.ferry.server.conflict;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a conflict resolution decides for the consolidated row. Ferry carries it out in the upload's
 * transaction; the remote then receives the consolidated row in the same sync's download (unless it
 * already has exactly that row).
 */
public sealed interface Resolution {

    /** Leave the consolidated row (or its absence) as it is. */
    static Resolution keepServer() {
        return new KeepServer();
    }

    /** Apply the remote's change as uploaded: its new row, or its delete. */
    static Resolution takeRemote() {
        return new TakeRemote();
    }

    /**
     * Make the consolidated row exactly {@code row}: every column of the table, key unchanged. Values
     * may be canonical values or anything {@code Values.canonical} converts (numbers, strings...).
     * Start from one of the conflict's images and change what you need.
     */
    static Resolution write(Map<String, Object> row) {
        return new WriteRow(Collections.unmodifiableMap(new LinkedHashMap<>(row)));
    }

    /** Delete the consolidated row. */
    static Resolution delete() {
        return new Delete();
    }

    record KeepServer() implements Resolution {
    }

    record TakeRemote() implements Resolution {
    }

    record WriteRow(Map<String, Object> row) implements Resolution {
    }

    record Delete() implements Resolution {
    }
}
