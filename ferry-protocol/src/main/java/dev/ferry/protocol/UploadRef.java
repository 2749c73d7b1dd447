package dev.ferry.protocol;

/**
 * Names one upload of a remote: its number (the progress counter it would set) and the random id the
 * remote gave it when building it. The number alone cannot tell two copies of a remote apart (both
 * build "upload 5"); the id can, so a probe is answered "already applied" only for the very upload it
 * asks about (issue 10, defect 7).
 *
 * @param number the upload's number, at least 1
 * @param id     the remote's id for it, never null or blank
 */
public record UploadRef(long number, String id) {
    public UploadRef {
        if (number < 1) {
            throw new IllegalArgumentException("upload number must be at least 1: " + number);
        }
        if (id == null || id.isBlank()) {
            throw new IllegalArgumentException("upload id must not be blank");
        }
    }
}
