package dev.ferry.server.upload;

import dev.ferry.core.schema.ColumnDef;
import dev.ferry.core.schema.FerryType;
import dev.ferry.core.value.Values;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

/**
 * A key as hashable text under Ferry's value equality (decimals by number, every other type by its
 * canonical text form): how the rows an upload chunk read back are matched to the uploaded ones.
 * Plain text, not a digest: a chunk holds at most a few hundred.
 */
record KeyText(List<String> values) {

    static KeyText of(List<ColumnDef> columns, Object[] key) {
        List<String> out = new ArrayList<>(key.length);
        for (int i = 0; i < key.length; i++) {
            Object v = key[i];
            FerryType type = columns.get(i).type();
            out.add(v == null ? null : type == FerryType.DECIMAL ? normalize((BigDecimal) v) : Values.format(type, v));
        }
        return new KeyText(out);
    }

    private static String normalize(BigDecimal d) {
        // Scientific, never plain: an uploaded 1e100000000 must not expand to 100 million digits (issue 11).
        return d.signum() == 0 ? "0" : d.stripTrailingZeros().toString();
    }
}
