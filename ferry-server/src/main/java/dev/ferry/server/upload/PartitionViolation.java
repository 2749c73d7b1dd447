package dev.ferry.server.upload;

/** A written row is outside the uploading remote's partition: its chunk is rolled back and the row rejected ({@code ROW_FORBIDDEN}). */
final class PartitionViolation extends RuntimeException {
    PartitionViolation(String message) {
        super(message, null, false, false);
    }
}
