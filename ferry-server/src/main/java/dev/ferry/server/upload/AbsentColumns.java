package dev.ferry.server.upload;

import dev.ferry.core.schema.ColumnDef;
import dev.ferry.core.schema.TableDef;
import dev.ferry.core.value.Values;
import dev.ferry.protocol.Absent;
import dev.ferry.protocol.UploadRow;

/**
 * Completes an uploaded row that lacks columns ({@link Absent}: the remote changed it under a schema
 * without them, docs/SCHEMAS.md "Schema changes") from the server's current row, read under its lock:
 * a change made under the old schema then neither conflicts in a column the remote never had nor
 * overwrites it. A row the server does not have takes the column's constant default, else NULL.
 */
final class AbsentColumns {
    private AbsentColumns() {
    }

    static UploadRow filled(TableDef t, UploadRow r, Object[] server) {
        return new UploadRow(r.op(), fill(t, r.newValues(), server), fill(t, r.oldValues(), server));
    }

    private static Object[] fill(TableDef t, Object[] values, Object[] server) {
        if (values == null || !Absent.any(values)) {
            return values;
        }
        Object[] out = values.clone();
        for (int i = 0; i < out.length; i++) {
            if (out[i] == Absent.VALUE) {
                ColumnDef c = t.columns().get(i);
                out[i] = server != null ? server[i] : c.defaultValue() == null ? null : Values.parse(c.type(), c.defaultValue());
            }
        }
        return out;
    }
}
