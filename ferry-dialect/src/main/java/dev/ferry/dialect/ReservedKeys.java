package dev.ferry.dialect;

/**
 * Keys {@code first} to {@code last} (inclusive) of one table that its key generator will never
 * issue: {@link ConsolidatedDialect#reserveKeys}.
 */
public record ReservedKeys(long first, long last) {
    public ReservedKeys {
        if (first > last) {
            throw new IllegalArgumentException("reserved keys end (" + last + ") before they start (" + first + ")");
        }
    }
}
