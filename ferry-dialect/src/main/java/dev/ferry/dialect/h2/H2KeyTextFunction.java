package dev.ferry.dialect.h2;

import dev.ferry.core.schema.ColumnDef;
import dev.ferry.core.schema.FerryType;
import dev.ferry.core.value.Values;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * The SQL function {@code ferry_key_text(types, k1, k2, ...)} that the {@code ferry_row_state} view
 * uses to compute a row's key text in SQL exactly as {@link H2TrackingTrigger} computes it in Java.
 * {@code types} is the comma-separated {@link FerryType} names of the key columns; H2 passes each key
 * value cast to text (e.g. {@code 2024-05-01 10:00:00.5}), which is parsed back to its canonical value
 * before {@link H2RowJson#keyText} formats it. Public only because H2 must call it.
 */
public final class H2KeyTextFunction {
    /** The alias name installed by {@link H2RemoteDialect#installTracking}. */
    static final String NAME = "ferry_key_text";

    private H2KeyTextFunction() {
    }

    /** Called by H2 for {@code ferry_key_text(...)}. */
    public static String keyText(String types, String... values) {
        String[] names = types.split(",");
        List<ColumnDef> columns = new ArrayList<>(names.length);
        Object[] key = new Object[names.length];
        for (int i = 0; i < names.length; i++) {
            FerryType t = FerryType.valueOf(names[i]);
            columns.add(ColumnDef.of("k" + i, t, false));
            key[i] = Values.parse(t, values[i]);
        }
        return H2RowJson.keyText(columns, key);
    }

    /** The SQL call for {@code table}'s key columns, taken from the row alias {@code row}. */
    static String call(List<ColumnDef> keyColumns, String row, Function<String, String> quote) {
        StringBuilder types = new StringBuilder();
        StringBuilder args = new StringBuilder();
        for (ColumnDef c : keyColumns) {
            types.append(types.length() == 0 ? "" : ",").append(c.type().name());
            args.append(", ").append(row).append('.').append(quote.apply(c.name()));
        }
        return NAME + "('" + types + "'" + args + ")";
    }
}
