package dev.ferry.core.value;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.math.BigDecimal;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;

/**
 * JSON values compared as JSON, not as text: databases normalize JSON differently (PostgreSQL
 * {@code jsonb} reorders keys and adds spaces, H2 strips them), so the same document read from two
 * databases must still count as the same value, or every such row would look like a conflict.
 */
public final class JsonValue {
    private static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

    private JsonValue() {
    }

    /**
     * One text per JSON document: keys sorted, no whitespace, numbers by value (1.50 = 1.5). Text
     * that is not valid JSON is returned unchanged, so it still compares as text.
     */
    public static String canonical(String text) {
        JsonNode node;
        try {
            node = JSON.readTree(text);
        } catch (JsonProcessingException e) {
            return text;
        }
        if (node == null) {
            return text;
        }
        StringBuilder out = new StringBuilder(text.length());
        write(node, out);
        return out.toString();
    }

    private static void write(JsonNode n, StringBuilder out) {
        if (n.isObject()) {
            Map<String, JsonNode> sorted = new TreeMap<>();
            Iterator<Map.Entry<String, JsonNode>> it = n.fields();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> e = it.next();
                sorted.put(e.getKey(), e.getValue());
            }
            out.append('{');
            boolean first = true;
            for (Map.Entry<String, JsonNode> e : sorted.entrySet()) {
                out.append(first ? "" : ",").append(quote(e.getKey()));
                out.append(':');
                write(e.getValue(), out);
                first = false;
            }
            out.append('}');
        } else if (n.isArray()) {
            out.append('[');
            for (int i = 0; i < n.size(); i++) {
                out.append(i == 0 ? "" : ",");
                write(n.get(i), out);
            }
            out.append(']');
        } else if (n.isNumber()) {
            BigDecimal d = n.decimalValue();
            // toString, not toPlainString: 1e100000000 stays 6 characters instead of 100 million (issue 11); the
            // stripped form is unique, so equal numbers still give equal text.
            out.append(d.signum() == 0 ? "0" : d.stripTrailingZeros().toString());
        } else {
            out.append(n.toString());
        }
    }

    private static String quote(String s) {
        return JSON.getNodeFactory().textNode(s).toString();
    }
}
