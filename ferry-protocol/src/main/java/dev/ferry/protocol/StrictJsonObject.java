package dev.ferry.protocol;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ferry.core.error.ErrorCode;
import dev.ferry.core.error.FerryException;
import dev.ferry.core.error.Shown;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * A small JSON request body (a registration, an acknowledgement) read strictly: exactly one object,
 * no duplicate or unknown keys, nothing after it, and field values of exactly the declared type
 * (no 1.5 for a counter, no "5" or 5 for a string). Errors are PROTOCOL_ERRORs in Ferry's words,
 * never Jackson's (issue 11). Immutable once read.
 */
public final class StrictJsonObject {
    private static final int MAX_STRING_CHARS = 64 << 10;
    private static final ObjectMapper JSON = new ObjectMapper(Json.strictFactory(MAX_STRING_CHARS));

    private final ObjectNode node;
    private final String what;

    private StrictJsonObject(ObjectNode node, String what) {
        this.node = node;
        this.what = what;
    }

    /** Reads {@code in} to its end; {@code what} names the message in errors; only {@code fields} may appear. */
    public static StrictJsonObject read(InputStream in, String what, Set<String> fields) {
        JsonNode n;
        try (JsonParser p = JSON.createParser(in)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new FerryException(ErrorCode.PROTOCOL_ERROR, "a " + what + " must be one JSON object", "send one JSON object (docs/PROTOCOL.md)");
            }
            n = JSON.readTree(p);
            Json.requireEnd(p);
        } catch (IOException e) {
            throw Json.brokenRequest(e);
        }
        for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!fields.contains(f)) {
                throw new FerryException(ErrorCode.PROTOCOL_ERROR, "unknown field " + Shown.quoted(f) + " in the " + what,
                        "use a client and server of the same Ferry release (docs/PROTOCOL.md lists every field)");
            }
        }
        return new StrictJsonObject((ObjectNode) n, what);
    }

    /** A string field that must be present. */
    public String string(String field) {
        JsonNode v = node.get(field);
        if (v == null || !v.isTextual()) {
            throw wrong(field, "a string", v);
        }
        return v.textValue();
    }

    /** A string field that may be absent or null. */
    public String nullableString(String field) {
        JsonNode v = node.get(field);
        return v == null || v.isNull() ? null : string(field);
    }

    /** A list of at most {@code max} strings that may be absent or null (then empty). */
    public List<String> nullableStringList(String field, int max) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            return List.of();
        }
        if (!v.isArray() || v.size() > max) {
            throw wrong(field, "a list of at most " + max + " strings", v);
        }
        List<String> out = new ArrayList<>(v.size());
        for (JsonNode item : v) {
            if (!item.isTextual()) {
                throw wrong(field, "a list of at most " + max + " strings", v);
            }
            out.add(item.textValue());
        }
        return List.copyOf(out);
    }

    /** A whole number from 0 to Long.MAX_VALUE that must be present. */
    public long counter(String field) {
        JsonNode v = node.get(field);
        if (v == null || !v.isIntegralNumber() || !v.canConvertToLong() || v.longValue() < 0) {
            throw wrong(field, "a whole number from 0 to " + Long.MAX_VALUE, v);
        }
        return v.longValue();
    }

    /** A boolean field; {@code absent} when missing. */
    public boolean bool(String field, boolean absent) {
        JsonNode v = node.get(field);
        if (v == null) {
            return absent;
        }
        if (!v.isBoolean()) {
            throw wrong(field, "true or false", v);
        }
        return v.booleanValue();
    }

    private FerryException wrong(String field, String expected, JsonNode v) {
        return new FerryException(ErrorCode.PROTOCOL_ERROR, "field " + field + " of the " + what + " must be " + expected + " but is "
                + (v == null ? "missing" : Shown.quoted(v.toString())), "send the fields docs/PROTOCOL.md lists, with their types");
    }
}
