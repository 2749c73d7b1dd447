package dev.ferry.server.config;

import java.util.List;

/**
 * {@code sync.keyRanges}: the tables whose remotes take keys from ranges the server hands them, and how
 * many keys a range holds (docs/SCHEMAS.md, "Keys created offline").
 */
public record KeyRangeSettings(List<String> tables, long size) {
    public KeyRangeSettings {
        tables = List.copyOf(tables);
    }

    /** Below this many keys left, a remote gets a new range: half a range, so a remote always holds at least that much after a sync. */
    public long refillBelow() {
        return (size + 1) / 2;
    }
}
