package dev.ferry.server.upload;

import dev.ferry.core.schema.ColumnDef;
import dev.ferry.core.schema.FerryType;
import dev.ferry.core.value.JsonValue;
import dev.ferry.core.value.Values;

import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;

/**
 * A 128-bit digest of a row's values (or a key's) under Ferry's value equality: decimals by number,
 * instants by instant, JSON as JSON. Used to recognise "the row this remote just uploaded" without holding the row.
 */
public record RowFingerprint(long high, long low) {

    public static RowFingerprint of(List<ColumnDef> columns, Object[] values) {
        MessageDigest md;
        try {
            md = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        for (int i = 0; i < values.length; i++) {
            Object v = values[i];
            if (v == null) {
                md.update((byte) 0);
                continue;
            }
            FerryType type = columns.get(i).type();
            String text = switch (type) {
                case DECIMAL -> normalize((BigDecimal) v);
                case BINARY -> Values.hex((byte[]) v);
                case JSON -> JsonValue.canonical((String) v);
                default -> Values.format(type, v);
            };
            md.update((byte) 1);
            byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
            md.update(ByteBuffer.allocate(4).putInt(bytes.length).array());
            md.update(bytes);
        }
        ByteBuffer digest = ByteBuffer.wrap(md.digest());
        return new RowFingerprint(digest.getLong(), digest.getLong());
    }

    private static String normalize(BigDecimal d) {
        // Scientific, never plain: an uploaded 1e100000000 must not expand to 100 million digits before it is checked (issue 11).
        return d.signum() == 0 ? "0" : d.stripTrailingZeros().toString();
    }
}
