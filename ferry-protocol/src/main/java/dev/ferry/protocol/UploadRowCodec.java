package dev.ferry.protocol;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.ferry.core.schema.TableDef;

import java.io.IOException;

/**
 * Writes and reads single upload rows in the wire form, for components that spool rows to disk
 * (the server's held upload). Values follow the table's own column order.
 */
public final class UploadRowCodec {
    private UploadRowCodec() {
    }

    public static void write(JsonGenerator g, TableDef table, UploadRow row) throws IOException {
        g.writeStartArray();
        g.writeString(row.op().wire());
        writeValues(g, table, row.newValues());
        writeValues(g, table, row.oldValues());
        g.writeEndArray();
    }

    /** Reads the row starting at the next token; returns null at the end of input. */
    public static UploadRow read(JsonParser p, TableDef table) throws IOException {
        JsonToken t = p.nextToken();
        if (t == null) {
            return null;
        }
        p.nextToken();
        ChangeOp op = ChangeOp.fromWire(p.getText());
        p.nextToken();
        Object[] newValues = readValues(p, table);
        p.nextToken();
        Object[] oldValues = readValues(p, table);
        p.nextToken();
        return new UploadRow(op, newValues, oldValues);
    }

    private static void writeValues(JsonGenerator g, TableDef table, Object[] values) throws IOException {
        if (values == null) {
            g.writeNull();
            return;
        }
        g.writeStartArray();
        for (int i = 0; i < values.length; i++) {
            if (values[i] == Absent.VALUE) {
                // Never a value on the wire: an empty object stands for a column the row does not carry.
                g.writeStartObject();
                g.writeEndObject();
            } else {
                WireValues.write(g, table.columns().get(i).type(), values[i]);
            }
        }
        g.writeEndArray();
    }

    private static Object[] readValues(JsonParser p, TableDef table) throws IOException {
        if (p.currentToken() == JsonToken.VALUE_NULL) {
            return null;
        }
        Object[] out = new Object[table.columns().size()];
        for (int i = 0; i < out.length; i++) {
            if (p.nextToken() == JsonToken.START_OBJECT) {
                p.skipChildren();
                out[i] = Absent.VALUE;
            } else {
                out[i] = WireValues.read(p, table.columns().get(i).type());
            }
        }
        p.nextToken();
        return out;
    }
}
