package dev.ferry.protocol;

/**
 * What a remote holds of one table's key ranges, as its sync request reports it: how many keys of all
 * its ranges it has not used yet. The server hands it a new range when that runs low (docs/SCHEMAS.md,
 * "Keys created offline").
 */
public record HeldKeys(long keysLeft) {
    public HeldKeys {
        if (keysLeft < 0) {
            throw new IllegalArgumentException("negative keys left: " + keysLeft);
        }
    }
}
