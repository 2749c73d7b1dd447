package dev.ferry.protocol;

import dev.ferry.core.error.ErrorCode;
import dev.ferry.core.error.FerryException;

import java.util.UUID;

/**
 * The token that tells apart the databases that have, one after another, served as one remote id.
 * {@code ferry remote init} and {@code ferry remote reset} each make a fresh one; the remote sends it
 * with every sync, and the server remembers the current one per remote id, so a database that was
 * replaced is recognized as such however its progress counter compares (docs/GUARANTEES.md). Not a
 * secret: access is decided by the sync user, never by the token. A random UUID in lower case.
 */
public final class IncarnationToken {
    private IncarnationToken() {
    }

    /** A new random token. */
    public static String fresh() {
        return UUID.randomUUID().toString();
    }

    /** {@code value} if it is a token in canonical form (or null); PROTOCOL_ERROR otherwise. */
    public static String checked(String value) {
        if (value == null) {
            return null;
        }
        try {
            if (UUID.fromString(value).toString().equals(value)) {
                return value;
            }
        } catch (IllegalArgumentException e) {
            // reported below
        }
        throw new FerryException(ErrorCode.PROTOCOL_ERROR, "incarnation '" + value + "' is not a lower-case UUID");
    }
}
