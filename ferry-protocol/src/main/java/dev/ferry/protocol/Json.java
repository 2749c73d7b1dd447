package dev.ferry.protocol;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import dev.ferry.core.error.ErrorCode;
import dev.ferry.core.error.FerryException;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** Parsing steps shared by the request and response readers. */
final class Json {
    private Json() {
    }

    static void expect(JsonParser p, JsonToken actual, JsonToken expected, String what) {
        if (actual != expected) {
            throw new FerryException(ErrorCode.PROTOCOL_ERROR, "expected " + what + " but found "
                    + (actual == null ? "the end of the stream (truncated?)" : actual) + " at byte " + p.currentLocation().getByteOffset());
        }
    }

    static <T> T require(T value, String what) {
        if (value == null) {
            throw new FerryException(ErrorCode.PROTOCOL_ERROR, "missing " + what);
        }
        return value;
    }

    static List<String> strings(JsonParser p) throws IOException {
        expect(p, p.currentToken(), JsonToken.START_ARRAY, "an array of names");
        List<String> out = new ArrayList<>();
        while (p.nextToken() != JsonToken.END_ARRAY) {
            out.add(p.getText());
        }
        return out;
    }

    /** Reads an array of values declared in the peer's column order into local column order. */
    static Object[] values(JsonParser p, ColumnMapping m) throws IOException {
        if (p.currentToken() == JsonToken.VALUE_NULL) {
            return null;
        }
        expect(p, p.currentToken(), JsonToken.START_ARRAY, "a row of " + m.table().name());
        Object[] out = new Object[m.size()];
        for (int i = 0; i < m.size(); i++) {
            JsonToken t = p.nextToken();
            if (t == JsonToken.END_ARRAY || t == null) {
                throw new FerryException(ErrorCode.PROTOCOL_ERROR, "a row of " + m.table().name() + " has too few values");
            }
            int local = m.local(i);
            out[local] = WireValues.read(p, m.table().columns().get(local).type());
        }
        expect(p, p.nextToken(), JsonToken.END_ARRAY, "the end of a row of " + m.table().name());
        return out;
    }

    /** Reads key values (in key order) into a key array. */
    static Object[] key(JsonParser p, ColumnMapping m, int[] keyTypesIndex) throws IOException {
        Object[] key = new Object[keyTypesIndex.length];
        for (int i = 0; i < key.length; i++) {
            p.nextToken();
            key[i] = WireValues.read(p, m.table().columns().get(keyTypesIndex[i]).type());
        }
        return key;
    }

    static FerryException broken(IOException e) {
        if (e instanceof JsonProcessingException jpe) {
            return new FerryException(ErrorCode.PROTOCOL_ERROR, "malformed sync message: " + jpe.getOriginalMessage(), null, e);
        }
        return new FerryException(ErrorCode.TRANSPORT_FAILED, "connection failed while reading a sync message: " + e.getMessage(),
                "run the sync again; nothing was half-applied", e);
    }
}
