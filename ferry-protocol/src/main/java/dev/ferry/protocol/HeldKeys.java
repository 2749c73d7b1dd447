package dev.ferry.protocol;

/**
 * What a remote holds of one table's key ranges, as its sync request reports it: the first key of the
 * highest range it has received (0 when none) and how many keys of all its ranges it has not used yet.
 * The server hands out a range again when the remote has not received it (its first key is higher than
 * {@code highestFirst}), and a new range when {@code keysLeft} runs low (docs/SCHEMAS.md, "Keys created
 * offline").
 */
public record HeldKeys(long highestFirst, long keysLeft) {
    public HeldKeys {
        if (highestFirst < 0 || keysLeft < 0) {
            throw new IllegalArgumentException("negative key range report: " + highestFirst + ", " + keysLeft);
        }
    }
}
