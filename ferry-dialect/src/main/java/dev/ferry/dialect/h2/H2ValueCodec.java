package dev.ferry.dialect.h2;

import dev.ferry.core.schema.ColumnDef;
import dev.ferry.core.schema.FerryType;
import dev.ferry.dialect.jdbc.StandardValueCodec;

/**
 * H2 value binding: JDBC 4.2 throughout, except JSON. A string bound to a JSON column becomes a
 * JSON <em>string</em> literal ({@code "{\"a\":1}"}), so JSON values use the placeholder
 * {@code ? FORMAT JSON}, which parses the text as JSON. H2 stores JSON in compact form: whitespace
 * between tokens is not kept (key order and values are). Reading uses getString, which returns the
 * JSON text.
 */
final class H2ValueCodec extends StandardValueCodec {
    @Override
    public String placeholder(ColumnDef column) {
        return column.type() == FerryType.JSON ? "? FORMAT JSON" : "?";
    }
}
