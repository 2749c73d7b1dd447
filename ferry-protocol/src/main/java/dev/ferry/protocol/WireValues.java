package dev.ferry.protocol;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.ferry.core.error.ErrorCode;
import dev.ferry.core.error.FerryException;
import dev.ferry.core.error.Shown;
import dev.ferry.core.schema.FerryType;
import dev.ferry.core.value.Values;

import java.io.IOException;
import java.util.Base64;

/**
 * Writes and reads one canonical value in its wire form: integers, floats and booleans as JSON
 * numbers and booleans, everything else as its canonical text (decimals as strings, so 19.99 never
 * passes through a binary float).
 */
final class WireValues {
    private WireValues() {
    }

    static void write(JsonGenerator g, FerryType type, Object v) throws IOException {
        if (v == null) {
            g.writeNull();
            return;
        }
        switch (type) {
            case SMALLINT, INTEGER, BIGINT -> g.writeNumber((Long) v);
            case REAL -> g.writeNumber((Float) v);
            case DOUBLE -> g.writeNumber((Double) v);
            case BOOLEAN -> g.writeBoolean((Boolean) v);
            case BINARY -> g.writeString(Base64.getEncoder().encodeToString((byte[]) v));
            default -> g.writeString(Values.format(type, v));
        }
    }

    /** Reads the value at the parser's current token. */
    static Object read(JsonParser p, FerryType type) throws IOException {
        JsonToken t = p.currentToken();
        if (t == JsonToken.VALUE_NULL) {
            return null;
        }
        return switch (type) {
            case SMALLINT, INTEGER, BIGINT -> {
                if (t != JsonToken.VALUE_NUMBER_INT) {
                    throw bad(p, type);
                }
                yield p.getLongValue();
            }
            case REAL -> {
                if (!t.isNumeric()) {
                    throw bad(p, type);
                }
                float f = p.getFloatValue();
                // 1e39 would become Infinity and 1e-50 zero: never store a value other than the one sent (issue 11).
                if (!Float.isFinite(f) || (f == 0 && p.getDoubleValue() != 0)) {
                    throw outOfRange(p, type);
                }
                yield f;
            }
            case DOUBLE -> {
                if (!t.isNumeric()) {
                    throw bad(p, type);
                }
                double d = p.getDoubleValue();
                // 1e400 parses as Infinity, which no download could carry back (issue 11).
                if (!Double.isFinite(d) || (d == 0 && t == JsonToken.VALUE_NUMBER_FLOAT && p.getDecimalValue().signum() != 0)) {
                    throw outOfRange(p, type);
                }
                yield d;
            }
            case BOOLEAN -> {
                if (!t.isBoolean()) {
                    throw bad(p, type);
                }
                yield p.getBooleanValue();
            }
            default -> {
                if (t != JsonToken.VALUE_STRING) {
                    throw bad(p, type);
                }
                yield Values.parse(type, p.getText());
            }
        };
    }

    private static FerryException outOfRange(JsonParser p, FerryType type) throws IOException {
        return new FerryException(ErrorCode.ROW_VALUE_OUT_OF_RANGE, "value " + Shown.quoted(p.getText()) + " is beyond the range of a " + type
                + " (a finite " + type + " is needed)");
    }

    private static FerryException bad(JsonParser p, FerryType type) {
        return new FerryException(ErrorCode.PROTOCOL_ERROR,
                "expected a " + type + " value but found " + p.currentToken() + " at " + p.currentLocation().offsetDescription());
    }
}
