package dev.ferry.protocol.downloadfile;

import java.security.MessageDigest;

/**
 * The digest that protects a download file: SHA-256 over the compressed body, a zero byte, then the
 * header's JSON bytes. Signing this one value covers everything a remote reads from the file.
 */
final class DownloadFileDigest {
    private DownloadFileDigest() {
    }

    /** Finishes a digest that has already consumed the compressed body. */
    static byte[] complete(MessageDigest afterBody, byte[] headerJson) {
        afterBody.update((byte) 0);
        afterBody.update(headerJson);
        return afterBody.digest();
    }
}
