package dev.ferry.protocol;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import dev.ferry.core.error.ErrorCode;
import dev.ferry.core.error.FerryException;
import dev.ferry.core.error.Shown;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** Parsing steps shared by the request and response readers. */
final class Json {
    private Json() {
    }

    /** Jackson's message without the source excerpt it may append; bounded. */
    static String firstLine(String message) {
        if (message == null) {
            return "unreadable input";
        }
        String first = message.lines().findFirst().orElse("");
        return first.length() > 200 ? first.substring(0, 200) + "..." : first;
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
            out.add(string(p, "a name"));
        }
        return out;
    }

    /**
     * A parser factory for messages from outside: duplicate keys refused, strings longer than
     * {@code maxStringChars} refused (Jackson would otherwise buffer up to its own 20 M limit).
     */
    static JsonFactory strictFactory(int maxStringChars) {
        return JsonFactory.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .streamReadConstraints(StreamReadConstraints.builder().maxStringLength(maxStringChars).build()).build();
    }

    /** The current token as a string; a number, boolean, null or structure is refused (no coercion). */
    static String string(JsonParser p, String what) throws IOException {
        if (p.currentToken() != JsonToken.VALUE_STRING) {
            throw wrongType(p, what, "a string");
        }
        return p.getText();
    }

    /** The current token as a string, or null for JSON null. */
    static String nullableString(JsonParser p, String what) throws IOException {
        return p.currentToken() == JsonToken.VALUE_NULL ? null : string(p, what);
    }

    /** The current token as a non-negative whole number that fits a long: 1.5, "1", -1 and 1e3 are refused. */
    static long counter(JsonParser p, String what) throws IOException {
        if (p.currentToken() != JsonToken.VALUE_NUMBER_INT || p.getNumberType() == JsonParser.NumberType.BIG_INTEGER || p.getLongValue() < 0) {
            throw wrongType(p, what, "a whole number from 0 to " + Long.MAX_VALUE);
        }
        return p.getLongValue();
    }

    static boolean bool(JsonParser p, String what) throws IOException {
        if (!p.currentToken().isBoolean()) {
            throw wrongType(p, what, "true or false");
        }
        return p.getBooleanValue();
    }

    static FerryException unknownField(JsonParser p, String field, String where) {
        return new FerryException(ErrorCode.PROTOCOL_ERROR, "unknown field " + Shown.quoted(field) + " in the " + where + " at byte "
                + p.currentLocation().getByteOffset(), "use a client and server of the same Ferry release (docs/PROTOCOL.md lists every field)");
    }

    /** After the document only whitespace may follow (a second document or garbage means the message is not what was sent). */
    static void requireEnd(JsonParser p) throws IOException {
        JsonToken t = p.nextToken();
        if (t != null) {
            throw new FerryException(ErrorCode.PROTOCOL_ERROR, "the message goes on after its JSON document (at byte "
                    + p.currentLocation().getByteOffset() + ")", "send exactly one JSON document per request");
        }
    }

    private static FerryException wrongType(JsonParser p, String what, String expected) {
        JsonToken t = p.currentToken();
        return new FerryException(ErrorCode.PROTOCOL_ERROR, what + " must be " + expected + " but is "
                + (t == null ? "missing" : t.isNumeric() || t == JsonToken.VALUE_STRING ? tokenText(p) : t.asString() == null ? t.name() : t.asString())
                + " at byte " + p.currentLocation().getByteOffset());
    }

    private static String tokenText(JsonParser p) {
        try {
            return Shown.quoted(p.getText());
        } catch (IOException e) {
            return "unreadable";
        }
    }

    /** Reads an array of values declared in the peer's column order into local column order. */
    static Object[] values(JsonParser p, ColumnMapping m) throws IOException {
        if (p.currentToken() == JsonToken.VALUE_NULL) {
            return null;
        }
        expect(p, p.currentToken(), JsonToken.START_ARRAY, "a row of " + m.table().name());
        Object[] out = new Object[m.table().columns().size()];
        if (m.partial()) {
            java.util.Arrays.fill(out, Absent.VALUE);
        }
        for (int i = 0; i < m.size(); i++) {
            JsonToken t = p.nextToken();
            if (t == JsonToken.END_ARRAY || t == null) {
                throw new FerryException(ErrorCode.PROTOCOL_ERROR, "a row of " + m.table().name() + " has too few values");
            }
            int local = m.local(i);
            if (local < 0) {
                // A column the server dropped since the remote's schema: nothing to write it to.
                p.skipChildren();
                continue;
            }
            try {
                out[local] = WireValues.read(p, m.table().columns().get(local).type());
            } catch (FerryException e) {
                throw new FerryException(e.code(), "column " + m.table().name() + "." + m.table().columns().get(local).name() + ": " + e.getMessage(),
                        e.hint() == null ? "fix the value on the remote; nothing of this upload was applied" : e.hint(), e);
            }
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

    /**
     * For a request the server reads: a body that ends early, breaks its chunking or gzip stream is the
     * client's mistake (or its network's), never applied, answered with a 400 (issue 11).
     */
    static FerryException brokenRequest(IOException e) {
        if (e instanceof JsonProcessingException) {
            return broken(e);
        }
        return new FerryException(ErrorCode.PROTOCOL_ERROR, "the request body is incomplete or damaged (its length, chunking or gzip stream"
                + " ended early or is corrupt); nothing was applied", "send the request again", e);
    }

    static FerryException broken(IOException e) {
        if (e instanceof StreamConstraintsException sce) {
            // Jackson's own text names its Java methods; say which limit in our words (issue 11).
            return new FerryException(ErrorCode.REQUEST_TOO_LARGE, "the sync message has a value or nesting beyond the limits"
                    + " (strings up to the value limit, numbers up to 1000 digits, nesting up to 1000 levels)",
                    "split large values, or raise limits.valueBytes on the server", e);
        }
        if (e instanceof JsonProcessingException jpe) {
            JsonLocation at = jpe.getLocation();
            return new FerryException(ErrorCode.PROTOCOL_ERROR, "malformed sync message: " + firstLine(jpe.getOriginalMessage())
                    + (at == null ? "" : " at byte " + at.getByteOffset()), "send one well-formed JSON document (docs/PROTOCOL.md)", e);
        }
        return new FerryException(ErrorCode.TRANSPORT_FAILED, "connection failed while reading a sync message: " + e.getMessage(),
                "run the sync again; nothing was half-applied", e);
    }
}
