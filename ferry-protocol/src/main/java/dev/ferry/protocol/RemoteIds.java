package dev.ferry.protocol;

import dev.ferry.core.error.ErrorCode;
import dev.ferry.core.error.FerryException;
import dev.ferry.core.error.Shown;

import java.util.regex.Pattern;

/**
 * The syntax of a remote id, checked wherever one arrives (registration, sync, acknowledgement) so
 * that no stored remote id, log line or error message carries control characters, blanks or
 * megabytes of text (issue 11): a letter or digit, then up to 127 letters, digits, '.', '_', ':' or
 * '-'. Stateless and thread-safe.
 */
public final class RemoteIds {
    /** The longest remote id, in characters. */
    public static final int MAX_LENGTH = 128;
    private static final Pattern SYNTAX = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:-]{0," + (MAX_LENGTH - 1) + "}");

    private RemoteIds() {
    }

    /** True when {@code id} is a well-formed remote id. */
    public static boolean valid(String id) {
        return id != null && id.length() <= MAX_LENGTH && SYNTAX.matcher(id).matches();
    }

    /** {@code id} if it is well formed; PROTOCOL_ERROR (naming the rule, not echoing a long id) otherwise. */
    public static String checked(String id) {
        if (!valid(id)) {
            throw new FerryException(ErrorCode.PROTOCOL_ERROR, "remote id " + Shown.quoted(id) + " is not valid",
                    "a remote id is 1 to " + MAX_LENGTH + " characters: a letter or digit, then letters, digits, '.', '_', ':' or '-'");
        }
        return id;
    }
}
