package dev.ferry.core.value;

import dev.ferry.core.error.ErrorCode;
import dev.ferry.core.error.FerryException;
import dev.ferry.core.error.Shown;
import dev.ferry.core.schema.FerryType;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.sql.Date;
import java.sql.Time;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Objects;
import java.util.UUID;

/**
 * Canonical values: the one Java representation each {@link FerryType} has inside Ferry, and the one
 * text form it has on the wire and in text-typed remote columns.
 *
 * <table>
 *   <tr><th>type</th><th>Java</th><th>text</th></tr>
 *   <tr><td>SMALLINT, INTEGER, BIGINT</td><td>Long</td><td>decimal digits</td></tr>
 *   <tr><td>DECIMAL</td><td>BigDecimal</td><td>plain digits, scale kept ({@code 19.90})</td></tr>
 *   <tr><td>REAL / DOUBLE</td><td>Float / Double</td><td>shortest round-trip form</td></tr>
 *   <tr><td>TEXT, JSON</td><td>String</td><td>itself</td></tr>
 *   <tr><td>BOOLEAN</td><td>Boolean</td><td>true / false</td></tr>
 *   <tr><td>DATE, TIME, TIMESTAMP</td><td>LocalDate, LocalTime, LocalDateTime</td><td>ISO-8601</td></tr>
 *   <tr><td>TIMESTAMPTZ</td><td>OffsetDateTime in UTC</td><td>ISO-8601 ending in Z</td></tr>
 *   <tr><td>UUID</td><td>UUID</td><td>lower-case hyphenated</td></tr>
 *   <tr><td>BINARY</td><td>byte[]</td><td>base64 (wire) or hex (remote images)</td></tr>
 * </table>
 * Stateless and thread-safe.
 */
public final class Values {
    private static final DateTimeFormatter TS = DateTimeFormatter.ISO_LOCAL_DATE_TIME;

    private Values() {
    }

    /** Converts whatever a JDBC driver or an application handed us into the canonical Java value. */
    public static Object canonical(FerryType type, Object v) {
        if (v == null) {
            return null;
        }
        try {
            return switch (type) {
                case SMALLINT, INTEGER, BIGINT -> toLong(v);
                case DECIMAL -> v instanceof BigDecimal b ? b : v instanceof String s ? new BigDecimal(s.trim())
                        : v instanceof BigInteger bi ? new BigDecimal(bi) : new BigDecimal(v.toString());
                case REAL -> v instanceof Float f ? f : v instanceof Number n ? n.floatValue() : Float.parseFloat(v.toString());
                case DOUBLE -> v instanceof Double d ? d : v instanceof Number n ? n.doubleValue() : Double.parseDouble(v.toString());
                case TEXT, JSON -> v instanceof String s ? s : v instanceof byte[] b ? new String(b, java.nio.charset.StandardCharsets.UTF_8) : v.toString();
                case BOOLEAN -> toBoolean(v);
                case DATE -> v instanceof LocalDate d ? d : v instanceof Date d ? d.toLocalDate() : parse(type, v.toString());
                case TIME -> v instanceof LocalTime t ? t : v instanceof Time t ? t.toLocalTime() : parse(type, v.toString());
                case TIMESTAMP -> v instanceof LocalDateTime t ? t : v instanceof Timestamp t ? t.toLocalDateTime() : parse(type, v.toString());
                case TIMESTAMPTZ -> toUtc(v);
                case UUID -> v instanceof UUID u ? u : v instanceof byte[] b ? uuidFromBytes(b) : uuid(v.toString().trim());
                case BINARY -> v instanceof byte[] b ? b : v instanceof ByteBuffer bb ? toBytes(bb) : invalid(type, v);
            };
        } catch (NumberFormatException | DateTimeParseException e) {
            throw new FerryException(ErrorCode.ROW_INVALID_VALUE, Shown.quoted(String.valueOf(v)) + " is not a valid " + type);
        } catch (IllegalArgumentException e) {
            throw new FerryException(ErrorCode.ROW_INVALID_VALUE, Shown.quoted(String.valueOf(v)) + " is not a valid " + type + ": " + e.getMessage());
        }
    }

    /** The canonical text form of a canonical value. */
    public static String format(FerryType type, Object v) {
        if (v == null) {
            return null;
        }
        return switch (type) {
            case DECIMAL -> ((BigDecimal) v).toPlainString();
            case TIMESTAMP -> timestamp((LocalDateTime) v);
            case TIMESTAMPTZ -> timestamp(((OffsetDateTime) v).withOffsetSameInstant(ZoneOffset.UTC).toLocalDateTime()) + "Z";
            case BINARY -> Base64.getEncoder().encodeToString((byte[]) v);
            default -> v.toString();
        };
    }

    private static String timestamp(LocalDateTime t) {
        String fast = IsoDateTimes.format(t);
        return fast != null ? fast : TS.format(t);
    }

    private static LocalDateTime timestamp(String s) {
        LocalDateTime fast = IsoDateTimes.parse(s);
        return fast != null ? fast : LocalDateTime.parse(s.replace(' ', 'T'));
    }

    /** Parses a canonical text form (and the common variants applications write) into a canonical value. */
    public static Object parse(FerryType type, String s) {
        if (s == null) {
            return null;
        }
        try {
            return switch (type) {
                case SMALLINT, INTEGER, BIGINT -> Long.parseLong(s.trim());
                case DECIMAL -> new BigDecimal(s.trim());
                case REAL -> Float.parseFloat(s.trim());
                case DOUBLE -> Double.parseDouble(s.trim());
                case TEXT, JSON -> s;
                case BOOLEAN -> toBoolean(s);
                case DATE -> LocalDate.parse(s.trim());
                case TIME -> LocalTime.parse(s.trim());
                case TIMESTAMP -> timestamp(s.trim());
                case TIMESTAMPTZ -> toUtc(s);
                case UUID -> uuid(s.trim());
                case BINARY -> Base64.getDecoder().decode(s);
            };
        } catch (NumberFormatException | DateTimeParseException e) {
            throw new FerryException(ErrorCode.ROW_INVALID_VALUE, Shown.quoted(s) + " is not a valid " + type);
        } catch (IllegalArgumentException e) {
            throw new FerryException(ErrorCode.ROW_INVALID_VALUE, Shown.quoted(s) + " is not a valid " + type + ": " + e.getMessage());
        }
    }

    /**
     * Value equality as Ferry means it: decimals by number (19.9 = 19.90), binaries by content,
     * instants by instant, JSON as JSON (key order, whitespace and number spelling do not matter).
     */
    public static boolean equal(FerryType type, Object a, Object b) {
        if (a == null || b == null) {
            return a == b;
        }
        return switch (type) {
            case DECIMAL -> ((BigDecimal) a).compareTo((BigDecimal) b) == 0;
            case BINARY -> Arrays.equals((byte[]) a, (byte[]) b);
            case TIMESTAMPTZ -> ((OffsetDateTime) a).toInstant().equals(((OffsetDateTime) b).toInstant());
            case JSON -> a.equals(b) || JsonValue.canonical((String) a).equals(JsonValue.canonical((String) b));
            default -> Objects.equals(a, b);
        };
    }

    public static String hex(byte[] b) {
        return HexFormat.of().formatHex(b);
    }

    public static byte[] unhex(String s) {
        return HexFormat.of().parseHex(s);
    }

    private static Long toLong(Object v) {
        if (v instanceof Long l) {
            return l;
        }
        if (v instanceof Integer || v instanceof Short || v instanceof Byte) {
            return ((Number) v).longValue();
        }
        if (v instanceof Boolean b) {
            return b ? 1L : 0L;
        }
        if (v instanceof BigDecimal || v instanceof BigInteger || v instanceof Double || v instanceof Float) {
            BigDecimal d = new BigDecimal(v.toString());
            try {
                return d.longValueExact();
            } catch (ArithmeticException e) {
                throw new FerryException(ErrorCode.ROW_VALUE_OUT_OF_RANGE, v + " is not a whole number in the BIGINT range");
            }
        }
        return Long.parseLong(v.toString().trim());
    }

    private static Boolean toBoolean(Object v) {
        if (v instanceof Boolean b) {
            return b;
        }
        if (v instanceof Number n) {
            return n.longValue() != 0;
        }
        String s = v.toString().trim().toLowerCase(java.util.Locale.ROOT);
        return switch (s) {
            case "true", "t", "1", "yes", "y" -> true;
            case "false", "f", "0", "no", "n" -> false;
            default -> throw new FerryException(ErrorCode.ROW_INVALID_VALUE, "'" + v + "' is not a valid BOOLEAN");
        };
    }

    private static OffsetDateTime toUtc(Object v) {
        OffsetDateTime odt;
        if (v instanceof OffsetDateTime o) {
            odt = o;
        } else if (v instanceof ZonedDateTime z) {
            odt = z.toOffsetDateTime();
        } else if (v instanceof Instant i) {
            odt = i.atOffset(ZoneOffset.UTC);
        } else if (v instanceof Timestamp t) {
            odt = t.toInstant().atOffset(ZoneOffset.UTC);
        } else {
            String s = v.toString().trim().replace(' ', 'T');
            if (s.endsWith("+00") || s.matches(".*[+-]\\d\\d$")) {
                s = s + ":00";
            }
            odt = OffsetDateTime.parse(s);
        }
        return odt.withOffsetSameInstant(ZoneOffset.UTC);
    }

    /**
     * Only the 8-4-4-4-12 hex form (either case, as RFC 4122 reads it): {@code UUID.fromString} would take
     * "1-2-3-4-5" as 00000001-0002-0003-0004-000000000005, storing a value other than the one sent (issue 11).
     */
    private static UUID uuid(String s) {
        if (!UUID_TEXT.matcher(s).matches()) {
            throw new IllegalArgumentException("a UUID is 32 hex digits in groups of 8-4-4-4-12");
        }
        return UUID.fromString(s);
    }

    private static final java.util.regex.Pattern UUID_TEXT =
            java.util.regex.Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

    private static UUID uuidFromBytes(byte[] b) {
        if (b.length != 16) {
            throw new FerryException(ErrorCode.ROW_INVALID_VALUE, "a UUID needs 16 bytes, got " + b.length);
        }
        ByteBuffer bb = ByteBuffer.wrap(b);
        return new UUID(bb.getLong(), bb.getLong());
    }

    private static byte[] toBytes(ByteBuffer bb) {
        byte[] out = new byte[bb.remaining()];
        bb.duplicate().get(out);
        return out;
    }

    private static Object invalid(FerryType type, Object v) {
        throw new FerryException(ErrorCode.ROW_INVALID_VALUE, "a " + v.getClass().getSimpleName() + " is not a valid " + type);
    }
}
