package dev.ferry.server.upload;

import dev.ferry.core.error.ErrorCode;
import dev.ferry.core.error.FerryException;
import dev.ferry.core.schema.ColumnDef;
import dev.ferry.core.schema.TableDef;
import dev.ferry.protocol.Absent;
import dev.ferry.core.value.Values;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;

/**
 * Checks an uploaded row against its column definitions before it reaches the database, so values a
 * database would silently round or truncate (19.999 into numeric(12,2), 12:00:00.123456 into
 * datetime(3)) are rejected with a reason instead of changed, and a key the database would take for
 * another key (one ending in a space where trailing spaces do not count) is rejected instead of
 * merged into that row.
 */
final class ValueChecks {
    /** Index n: the nanoseconds one unit of the n-th fractional digit is worth. */
    private static final int[] NANOS_PER_LAST_DIGIT = {1_000_000_000, 100_000_000, 10_000_000, 1_000_000, 100_000, 10_000, 1_000};

    /** PostgreSQL's limits for an unconstrained NUMERIC (the widest of the consolidated databases). */
    private static final int MAX_UNCONSTRAINED_INTEGER_DIGITS = 131_072;
    private static final int MAX_UNCONSTRAINED_FRACTION_DIGITS = 16_383;
    private static final int MIN_YEAR = 1;
    private static final int MAX_YEAR = 9999;

    private ValueChecks() {
    }

    static void check(TableDef table, Object[] row) {
        for (int i = 0; i < row.length; i++) {
            Object v = row[i];
            ColumnDef c = table.columns().get(i);
            if (v == Absent.VALUE || table.filledByDatabase(c)) {
                // Absent: filled from the server's row before it is written (AbsentColumns). Filled by the
                // database: never written, whatever the remote holds there is ignored (issue 10, defect 11).
                continue;
            }
            if (v == null) {
                if (!c.nullable()) {
                    throw new FerryException(ErrorCode.ROW_NOT_NULL_VIOLATION, "column " + c.name() + " of " + table.name() + " cannot be null");
                }
                continue;
            }
            switch (c.type()) {
                case SMALLINT -> range(table, c, (Long) v, Short.MIN_VALUE, Short.MAX_VALUE);
                case INTEGER -> range(table, c, (Long) v, Integer.MIN_VALUE, Integer.MAX_VALUE);
                case DECIMAL -> decimal(table, c, (BigDecimal) v);
                case TEXT -> {
                    String s = (String) v;
                    if (c.length() != null && s.codePointCount(0, s.length()) > c.length()) {
                        throw new FerryException(ErrorCode.ROW_VALUE_OUT_OF_RANGE, "value of " + table.name() + "." + c.name() + " is "
                                + s.codePointCount(0, s.length()) + " characters long; the column holds at most " + c.length());
                    }
                    if (c.padded() && s.endsWith(" ") && table.primaryKey().contains(c.name())) {
                        throw new FerryException(ErrorCode.ROW_INVALID_VALUE, "key '" + s + "' of " + table.name() + "." + c.name()
                                + " ends in a space, which the database ignores in this column: it would be the row with key '"
                                + s.replaceAll(" +$", "") + "'");
                    }
                }
                case BINARY -> {
                    byte[] b = (byte[]) v;
                    if (c.length() != null && b.length > c.length()) {
                        throw new FerryException(ErrorCode.ROW_VALUE_OUT_OF_RANGE, "value of " + table.name() + "." + c.name() + " is "
                                + b.length + " bytes long; the column holds at most " + c.length());
                    }
                }
                case DATE -> year(table, c, v, ((LocalDate) v).getYear());
                case TIME -> fraction(table, c, v, ((LocalTime) v).getNano());
                case TIMESTAMP -> {
                    year(table, c, v, ((LocalDateTime) v).getYear());
                    fraction(table, c, v, ((LocalDateTime) v).getNano());
                }
                case TIMESTAMPTZ -> {
                    year(table, c, v, ((OffsetDateTime) v).getYear());
                    fraction(table, c, v, ((OffsetDateTime) v).getNano());
                }
                default -> {
                }
            }
        }
    }

    private static void range(TableDef t, ColumnDef c, long v, long min, long max) {
        if (v < min || v > max) {
            throw new FerryException(ErrorCode.ROW_VALUE_OUT_OF_RANGE, "value " + v + " is out of range for " + t.name() + "." + c.name()
                    + " (" + c.type() + ": " + min + " to " + max + ")");
        }
    }

    /** PostgreSQL and H2 round the digits a column cannot hold, MariaDB cuts them off: neither may happen silently. */
    private static void fraction(TableDef t, ColumnDef c, Object v, int nanos) {
        int digits = c.fractionDigits();
        if (nanos % NANOS_PER_LAST_DIGIT[digits] != 0) {
            throw new FerryException(ErrorCode.ROW_VALUE_OUT_OF_RANGE, "value " + Values.format(c.type(), v) + " of " + t.name() + "."
                    + c.name() + " has more fractional-second digits than the column holds (" + c.typeLabel() + ": " + digits
                    + " digits); the database would round or cut off the rest");
        }
    }

    /**
     * Precision and scale arithmetic only: a value such as {@code 1e100000000} is 14 bytes on the wire but
     * 100 million digits once expanded, so it is never turned into plain digits here (issue 11).
     */
    private static void decimal(TableDef t, ColumnDef c, BigDecimal v) {
        BigDecimal stripped = v.signum() == 0 ? BigDecimal.ZERO : v.stripTrailingZeros();
        long fractionDigits = Math.max(0, stripped.scale());
        long integerDigits = Math.max(0L, (long) stripped.precision() - stripped.scale());
        int maxScale = c.scale() != null ? c.scale() : MAX_UNCONSTRAINED_FRACTION_DIGITS;
        int maxIntegerDigits = c.precision() != null ? c.precision() - (c.scale() == null ? 0 : c.scale()) : MAX_UNCONSTRAINED_INTEGER_DIGITS;
        if (fractionDigits > maxScale) {
            throw new FerryException(ErrorCode.ROW_VALUE_OUT_OF_RANGE, "value " + shown(v) + " has more than " + maxScale
                    + " decimal places for " + t.name() + "." + c.name() + " (" + c.typeLabel() + ")");
        }
        if (integerDigits > maxIntegerDigits) {
            throw new FerryException(ErrorCode.ROW_VALUE_OUT_OF_RANGE, "value " + shown(v) + " is too large for "
                    + t.name() + "." + c.name() + " (" + c.typeLabel() + ": at most " + maxIntegerDigits + " digits before the point)");
        }
    }

    /** Plain digits when short, else the scientific form (which is always short). */
    private static String shown(BigDecimal v) {
        return Math.abs((long) v.precision() - v.scale()) <= 40 && Math.abs(v.scale()) <= 40 ? v.toPlainString() : v.toString();
    }

    /** The most a download can carry back of a year: four digits, no sign, on every consolidated database (docs/SECURITY.md). */
    private static void year(TableDef t, ColumnDef c, Object v, int year) {
        if (year < MIN_YEAR || year > MAX_YEAR) {
            throw new FerryException(ErrorCode.ROW_VALUE_OUT_OF_RANGE, "value " + Values.format(c.type(), v) + " of " + t.name() + "." + c.name()
                    + " is outside the years Ferry carries (" + MIN_YEAR + " to " + MAX_YEAR + ")");
        }
    }
}
