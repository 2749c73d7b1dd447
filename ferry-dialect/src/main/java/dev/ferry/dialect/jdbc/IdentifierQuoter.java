package dev.ferry.dialect.jdbc;

import dev.ferry.core.error.ErrorCode;
import dev.ferry.core.error.FerryException;

import java.nio.charset.StandardCharsets;

/**
 * Validates an identifier and quotes it with one quote character, doubling that character inside
 * the name (the SQL-standard escape, which PostgreSQL, H2 and MariaDB all accept). Rejects, with
 * {@link ErrorCode#CONFIG_INVALID} naming the identifier: null, empty, containing NUL, or longer
 * than the database allows. Names are never case-folded: Ferry always quotes, so the stored
 * spelling is the one that must be used. Immutable and thread-safe.
 */
public final class IdentifierQuoter {
    /** How the database measures its identifier length limit. */
    public enum Unit { UTF8_BYTES, CHARACTERS }

    private final char quote;
    private final int maxLength;
    private final Unit unit;

    public IdentifierQuoter(char quote, int maxLength, Unit unit) {
        this.quote = quote;
        this.maxLength = maxLength;
        this.unit = unit;
    }

    /** Double quotes, limit in UTF-8 bytes (PostgreSQL: 63, because NAMEDATALEN is 64 including the terminator). */
    public static IdentifierQuoter doubleQuotesBytes(int maxBytes) {
        return new IdentifierQuoter('"', maxBytes, Unit.UTF8_BYTES);
    }

    /** Double quotes, limit in characters (H2: 256). */
    public static IdentifierQuoter doubleQuotesChars(int maxChars) {
        return new IdentifierQuoter('"', maxChars, Unit.CHARACTERS);
    }

    /** Backticks, limit in characters (MariaDB: 64). */
    public static IdentifierQuoter backticks(int maxChars) {
        return new IdentifierQuoter('`', maxChars, Unit.CHARACTERS);
    }

    public String quote(String identifier) {
        validate(identifier);
        String q = String.valueOf(quote);
        return q + identifier.replace(q, q + q) + q;
    }

    /** Throws {@code CONFIG_INVALID} unless the identifier is usable on this database. */
    public void validate(String identifier) {
        if (identifier == null || identifier.isEmpty()) {
            throw new FerryException(ErrorCode.CONFIG_INVALID, "an identifier is empty",
                    "check the table and column names in the configuration");
        }
        if (identifier.indexOf('\0') >= 0) {
            throw new FerryException(ErrorCode.CONFIG_INVALID,
                    "identifier '" + identifier.replace("\0", "\\0") + "' contains a NUL character");
        }
        int length = unit == Unit.UTF8_BYTES
                ? identifier.getBytes(StandardCharsets.UTF_8).length
                : identifier.codePointCount(0, identifier.length());
        if (length > maxLength) {
            throw new FerryException(ErrorCode.CONFIG_INVALID, "identifier '" + identifier + "' is " + length + " "
                    + (unit == Unit.UTF8_BYTES ? "bytes" : "characters") + " long; this database allows at most " + maxLength);
        }
    }
}
