package dev.ferry.dialect;

import dev.ferry.core.schema.ColumnDef;
import dev.ferry.core.schema.FerryType;
import dev.ferry.core.schema.ForeignKeyDef;
import dev.ferry.core.schema.SyncSchema;
import dev.ferry.core.schema.TableDef;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;

import static dev.ferry.core.schema.FerryType.BIGINT;
import static dev.ferry.core.schema.FerryType.DATE;
import static dev.ferry.core.schema.FerryType.DECIMAL;
import static dev.ferry.core.schema.FerryType.INTEGER;
import static dev.ferry.core.schema.FerryType.TEXT;
import static dev.ferry.core.schema.FerryType.UUID;

/** The small schema every remote contract test runs against, and edge values for every type. */
public final class RemoteSchemaFixture {
    public static final TableDef CUSTOMER = new TableDef("customer", List.of(
            ColumnDef.of("id", INTEGER, false),
            new ColumnDef("name", TEXT, true, 40, null, null),
            new ColumnDef("balance", DECIMAL, true, null, 12, 2)),
            List.of("id"), List.of());

    public static final TableDef ORDERS = new TableDef("orders", List.of(
            ColumnDef.of("id", BIGINT, false),
            ColumnDef.of("customer_id", INTEGER, false),
            ColumnDef.of("note", TEXT, true)),
            List.of("id"), List.of(new ForeignKeyDef("orders_customer_fk", List.of("customer_id"), "customer", List.of("id"))));

    /** Composite key of mixed types (integer + text), child of orders. */
    public static final TableDef LINE = new TableDef("order_line", List.of(
            ColumnDef.of("order_id", BIGINT, false),
            ColumnDef.of("code", TEXT, false),
            ColumnDef.of("qty", INTEGER, true)),
            List.of("order_id", "code"), List.of(new ForeignKeyDef("line_order_fk", List.of("order_id"), "orders", List.of("id"))));

    /** Composite key of types stored as text on SQLite: UUID, DECIMAL, DATE. */
    public static final TableDef KEYED = new TableDef("keyed", List.of(
            ColumnDef.of("u", UUID, false),
            new ColumnDef("amount", DECIMAL, false, null, 10, 2),
            ColumnDef.of("day", DATE, false),
            ColumnDef.of("label", TEXT, true)),
            List.of("u", "amount", "day"), List.of());

    /** Names that need quoting everywhere: a double quote, a space, a single quote. */
    public static final TableDef ODD = new TableDef("odd \"name\"", List.of(
            ColumnDef.of("key col", TEXT, false),
            ColumnDef.of("it's", TEXT, true)),
            List.of("key col"), List.of());

    public static final TableDef EVERY = new TableDef("every_type", List.of(
            ColumnDef.of("id", INTEGER, false),
            ColumnDef.of("c_smallint", FerryType.SMALLINT, true),
            ColumnDef.of("c_integer", INTEGER, true),
            ColumnDef.of("c_bigint", BIGINT, true),
            new ColumnDef("c_decimal", DECIMAL, true, null, 18, 4),
            ColumnDef.of("c_real", FerryType.REAL, true),
            ColumnDef.of("c_double", FerryType.DOUBLE, true),
            ColumnDef.of("c_text", TEXT, true),
            ColumnDef.of("c_boolean", FerryType.BOOLEAN, true),
            ColumnDef.of("c_date", DATE, true),
            ColumnDef.of("c_time", FerryType.TIME, true),
            ColumnDef.of("c_ts", FerryType.TIMESTAMP, true),
            ColumnDef.of("c_tstz", FerryType.TIMESTAMPTZ, true),
            ColumnDef.of("c_uuid", UUID, true),
            ColumnDef.of("c_binary", FerryType.BINARY, true),
            ColumnDef.of("c_json", FerryType.JSON, true)),
            List.of("id"), List.of());

    public static final SyncSchema SCHEMA = SyncSchema.of(List.of(LINE, ORDERS, KEYED, EVERY, CUSTOMER, ODD));

    public static final UUID U1 = java.util.UUID.fromString("0b8e1c56-3f0a-4a8e-9d3b-2f6f5e4d3c2b");

    /** Values whose image text is the same on every remote (reals exactly representable, booleans aside). */
    public static Object[] simpleEveryRow(long id) {
        return new Object[]{id, -32768L, 2147483647L, Long.MAX_VALUE, new BigDecimal("12345678901234.5678"), 1.5f, 0.25,
                "é😀 \"q\" \\ \n\t'x'", true, LocalDate.of(2024, 2, 29), LocalTime.parse("23:59:59.999999"),
                LocalDateTime.parse("2024-05-01T10:11:12.123456"), OffsetDateTime.parse("2024-05-01T08:11:12.123456Z"), U1,
                new byte[]{0, 1, 0, (byte) 0xff, 0}, "{\"a\":[1,true,null,\"é\"]}"};
    }

    /** Edge values: extremes, precision traps, empties. */
    public static Object[] edgeEveryRow(long id) {
        return new Object[]{id, 32767L, -2147483648L, Long.MIN_VALUE, new BigDecimal("-0.0001"), 1.1f, 0.1 + 0.2,
                "", false, LocalDate.of(1, 1, 1), LocalTime.MIDNIGHT, LocalDateTime.parse("1970-01-01T00:00"),
                OffsetDateTime.of(2000, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC), java.util.UUID.fromString("ffffffff-ffff-ffff-ffff-ffffffffffff"),
                new byte[0], "[]"};
    }

    public static Object[] moreEdgeEveryRow(long id) {
        return new Object[]{id, 0L, 0L, 0L, new BigDecimal("0.0000"), Float.MAX_VALUE, Double.MIN_VALUE,
                "a\u0001b\u001fc/\u2028😀😀", true, LocalDate.of(9999, 12, 31), LocalTime.parse("00:00:00.000001"),
                LocalDateTime.parse("2038-01-19T03:14:07.999999"), OffsetDateTime.parse("1999-12-31T23:59:59.5Z"),
                java.util.UUID.fromString("00000000-0000-0000-0000-000000000000"), allBytes(), "{\"s\":\"x\\\"y\",\"n\":-1.5,\"e\":{}}"};
    }

    private static byte[] allBytes() {
        byte[] b = new byte[256];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) i;
        }
        return b;
    }

    public static Object[] nullEveryRow(long id) {
        Object[] row = new Object[EVERY.columns().size()];
        row[0] = id;
        return row;
    }

    private RemoteSchemaFixture() {
    }
}
