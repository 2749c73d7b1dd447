package dev.ferry.dialect.remote;

import dev.ferry.core.error.ErrorCode;
import dev.ferry.core.error.FerryException;

/**
 * Renders identifiers and string literals into SQL text for the databases that use the SQL-standard
 * forms ({@code "name"}, {@code 'text'}). Identifiers reach us from metadata, configuration and the
 * wire, so they are validated, never trusted.
 */
public final class SqlText {
    private SqlText() {
    }

    /**
     * Quotes an identifier with double quotes, doubling embedded ones. Rejects null, empty, NUL-containing
     * and (when {@code maxLength > 0}) over-long names with {@link ErrorCode#CONFIG_INVALID}.
     */
    public static String identifier(String name, int maxLength) {
        if (name == null || name.isEmpty()) {
            throw new FerryException(ErrorCode.CONFIG_INVALID, "an identifier must not be empty");
        }
        if (name.indexOf('\0') >= 0) {
            throw new FerryException(ErrorCode.CONFIG_INVALID,
                    "identifier '" + name.replace("\0", "\\0") + "' contains a NUL character");
        }
        if (maxLength > 0 && name.length() > maxLength) {
            throw new FerryException(ErrorCode.CONFIG_INVALID,
                    "identifier '" + name + "' is longer than " + maxLength + " characters");
        }
        return '"' + name.replace("\"", "\"\"") + '"';
    }

    /** A string literal, doubling embedded single quotes; used only for names already validated. */
    public static String literal(String text) {
        if (text.indexOf('\0') >= 0) {
            throw new FerryException(ErrorCode.CONFIG_INVALID, "text for a SQL literal contains a NUL character");
        }
        return '\'' + text.replace("'", "''") + '\'';
    }
}
