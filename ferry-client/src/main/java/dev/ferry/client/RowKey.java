package dev.ferry.client;

import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * A row's canonical key values in a form that compares by value, for the in-memory key sets a
 * download reads once ({@link RecordedKeys}, {@link PendingEntries}): binary values by content,
 * decimals whatever their scale ({@code 1.50} is {@code 1.5}), timestamps with a zone by instant. So a
 * key read back from a remote table's JSON key text matches the same key as downloaded, and two keys
 * that the remote stores alike never compare different. Immutable.
 */
record RowKey(List<Object> parts) {
    static RowKey of(Object[] key) {
        List<Object> parts = new ArrayList<>(key.length);
        for (Object v : key) {
            parts.add(comparable(v));
        }
        return new RowKey(parts);
    }

    private static Object comparable(Object v) {
        if (v instanceof byte[] b) {
            return HexFormat.of().formatHex(b);
        }
        if (v instanceof BigDecimal d) {
            return d.signum() == 0 ? BigDecimal.ZERO : d.stripTrailingZeros();
        }
        if (v instanceof OffsetDateTime t) {
            return t.toInstant();
        }
        return v;
    }
}
