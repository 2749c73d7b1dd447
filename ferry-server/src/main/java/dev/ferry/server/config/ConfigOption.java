package dev.ferry.server.config;

import dev.ferry.core.error.ErrorCode;
import dev.ferry.core.error.FerryException;

import java.util.function.Function;
import java.util.function.Predicate;

/**
 * One server setting, declared once: its dotted key, default, unit, meaning, how its text is parsed
 * and what values are valid. The README's configuration table is tested against these declarations.
 */
public record ConfigOption<T>(String key, String defaultText, String unit, String meaning,
                              Function<String, T> parser, Predicate<T> valid, String validDescription) {

    /** The environment variable that sets this option: {@code sync.maxRetries} → {@code FERRY_SYNC_MAX_RETRIES}. */
    public String envName() {
        StringBuilder sb = new StringBuilder("FERRY_");
        for (char ch : key.toCharArray()) {
            if (ch == '.') {
                sb.append('_');
            } else if (Character.isUpperCase(ch)) {
                sb.append('_').append(ch);
            } else {
                sb.append(Character.toUpperCase(ch));
            }
        }
        return sb.toString();
    }

    /** Parses and validates; a bad value fails with the dotted key and the value. */
    public T parse(String text) {
        T value;
        try {
            value = parser.apply(text.trim());
        } catch (RuntimeException e) {
            throw new FerryException(ErrorCode.CONFIG_INVALID, key + " = '" + text + "' is invalid: expected " + validDescription);
        }
        if (!valid.test(value)) {
            throw new FerryException(ErrorCode.CONFIG_INVALID, key + " = '" + text + "' is invalid: expected " + validDescription);
        }
        return value;
    }
}
