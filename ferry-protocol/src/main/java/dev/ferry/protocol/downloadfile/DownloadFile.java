package dev.ferry.protocol.downloadfile;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ferry.core.error.ErrorCode;
import dev.ferry.core.error.FerryException;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.Signature;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.zip.GZIPInputStream;

/**
 * A download file opened for reading. {@link #open} reads only the footer (header, checksum,
 * signature); {@link #verify} reads the whole file once and proves it complete, unaltered and, when
 * asked, signed by a trusted key; only then should {@link #openBody} be applied. Not thread-safe.
 */
public final class DownloadFile {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int MAX_FOOTER = 16 << 20;

    private final Path path;
    private final long bodyLength;
    private final DownloadFileHeader header;
    private final byte[] headerJson;
    private final byte[] sha256;
    private final byte[] signature;

    private DownloadFile(Path path, long bodyLength, DownloadFileHeader header, byte[] headerJson, byte[] sha256, byte[] signature) {
        this.path = path;
        this.bodyLength = bodyLength;
        this.header = header;
        this.headerJson = headerJson;
        this.sha256 = sha256;
        this.signature = signature;
    }

    /** Reads the footer; a file that does not end with one is truncated or not a download file at all. */
    public static DownloadFile open(Path path) {
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            long size = ch.size();
            int tailLength = 4 + DownloadFileWriter.MAGIC.length;
            if (size < tailLength) {
                throw damaged(path, "it is too short to be a Ferry download file (truncated?)");
            }
            ByteBuffer tail = read(ch, size - tailLength, tailLength);
            int footerLength = tail.getInt();
            byte[] magic = new byte[DownloadFileWriter.MAGIC.length];
            tail.get(magic);
            if (!Arrays.equals(magic, DownloadFileWriter.MAGIC)) {
                throw damaged(path, "it does not end with a Ferry download file footer (truncated, or not a download file)");
            }
            if (footerLength <= 0 || footerLength > MAX_FOOTER || footerLength > size - tailLength) {
                throw damaged(path, "its footer length " + footerLength + " is impossible");
            }
            long bodyLength = size - tailLength - footerLength;
            JsonNode footer = JSON.readTree(read(ch, bodyLength, footerLength).array());
            String headerText = footer.path("header").asText(null);
            String sum = footer.path("sha256").asText(null);
            if (headerText == null || sum == null) {
                throw damaged(path, "its footer lacks the header or the checksum");
            }
            byte[] headerJson = headerText.getBytes(StandardCharsets.UTF_8);
            String sig = footer.path("signature").asText(null);
            return new DownloadFile(path, bodyLength, DownloadFileHeader.fromJson(headerText, path.toString()), headerJson,
                    HexFormat.of().parseHex(sum), sig == null ? null : Base64.getDecoder().decode(sig));
        } catch (NoSuchFileException e) {
            throw new FerryException(ErrorCode.USAGE, "no download file at " + path);
        } catch (IOException | IllegalArgumentException e) {
            throw damaged(path, "its footer is unreadable: " + e.getMessage());
        }
    }

    public DownloadFileHeader header() {
        return header;
    }

    public boolean signed() {
        return signature != null;
    }

    /** True when the file carries a valid signature by {@code key} (does not check the body). */
    public boolean signedBy(PublicKey key) {
        if (signature == null) {
            return false;
        }
        try {
            Signature s = Signature.getInstance(SigningKeys.ALGORITHM);
            s.initVerify(key);
            s.update(sha256);
            return s.verify(signature);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    /**
     * Reads the whole body and checks the checksum; with a {@code trusted} key, also requires the
     * file to be signed by it. Throws {@code DOWNLOAD_FILE_DAMAGED} or {@code DOWNLOAD_FILE_UNTRUSTED}.
     */
    public void verify(PublicKey trusted) {
        if (trusted != null && !signedBy(trusted)) {
            throw new FerryException(ErrorCode.DOWNLOAD_FILE_UNTRUSTED, path + (signature == null ? " is not signed" : " is not signed by the trusted key")
                    + ", and this remote accepts only files signed by key " + SigningKeys.fingerprint(trusted),
                    "create the file with `ferry download-file create --sign-key` using the server's private key");
        }
        try (InputStream in = compressedBody()) {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[1 << 16];
            long total = 0;
            int n;
            while ((n = in.read(buf)) > 0) {
                md.update(buf, 0, n);
                total += n;
            }
            if (total != bodyLength || !MessageDigest.isEqual(DownloadFileDigest.complete(md, headerJson), sha256)) {
                throw damaged(path, "its checksum does not match: it was altered or corrupted after it was created");
            }
        } catch (IOException | GeneralSecurityException e) {
            throw damaged(path, "it cannot be read: " + e.getMessage());
        }
    }

    /** The decompressed body: a sync download stream (docs/PROTOCOL.md). Call after {@link #verify}. */
    public InputStream openBody() {
        try {
            return new GZIPInputStream(compressedBody(), 1 << 16);
        } catch (IOException e) {
            throw damaged(path, "its body is not gzip data: " + e.getMessage());
        }
    }

    private InputStream compressedBody() throws IOException {
        FileChannel ch = FileChannel.open(path, StandardOpenOption.READ);
        InputStream whole = Channels.newInputStream(ch);
        return new BufferedInputStream(new InputStream() {
            private long left = bodyLength;

            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (left <= 0) {
                    return -1;
                }
                int n = whole.read(b, off, (int) Math.min(len, left));
                if (n > 0) {
                    left -= n;
                }
                return n;
            }

            @Override
            public void close() throws IOException {
                whole.close();
            }
        }, 1 << 16);
    }

    private static ByteBuffer read(FileChannel ch, long position, int length) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(length);
        while (buf.hasRemaining()) {
            if (ch.read(buf, position + buf.position()) < 0) {
                throw new IOException("unexpected end of file");
            }
        }
        buf.flip();
        return buf;
    }

    static FerryException damaged(Path path, String why) {
        return new FerryException(ErrorCode.DOWNLOAD_FILE_DAMAGED, path + " is not a usable download file: " + why,
                "copy the file again from where it was created, or create a new one");
    }
}
