package dev.ferry.protocol.downloadfile;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ferry.core.error.ErrorCode;
import dev.ferry.core.error.FerryException;

import java.io.BufferedOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.DigestOutputStream;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.Signature;
import java.util.Base64;
import java.util.HexFormat;
import java.util.zip.GZIPOutputStream;

/**
 * Writes a download file (layout in docs/DOWNLOAD-FILES.md): the body, a sync download stream, gzip
 * compressed; then a footer with the header, the SHA-256 of body and header, and optionally an
 * Ed25519 signature of that digest. The file is written under a temporary name and moved into place
 * only when complete, so a crash never leaves a partial file under the name the user asked for.
 * Not thread-safe; use once.
 */
public final class DownloadFileWriter implements AutoCloseable {
    static final byte[] MAGIC = "FERRYDF1".getBytes(StandardCharsets.US_ASCII);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path target;
    private final Path temp;
    private final FileChannel channel;
    private final MessageDigest digest;
    private final GZIPOutputStream body;
    private boolean finished;

    private DownloadFileWriter(Path target, Path temp, FileChannel channel, MessageDigest digest, GZIPOutputStream body) {
        this.target = target;
        this.temp = temp;
        this.channel = channel;
        this.digest = digest;
        this.body = body;
    }

    public static DownloadFileWriter create(Path target) {
        Path dir = target.toAbsolutePath().getParent();
        Path temp = null;
        try {
            temp = Files.createTempFile(dir, "." + target.getFileName() + ".", ".partial");
            FileChannel ch = FileChannel.open(temp, StandardOpenOption.WRITE);
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            OutputStream file = new BufferedOutputStream(new ChannelOutput(ch), 1 << 16);
            return new DownloadFileWriter(target, temp, ch, md, new GZIPOutputStream(new DigestOutputStream(file, md), 1 << 16));
        } catch (IOException | GeneralSecurityException e) {
            deleteQuietly(temp);
            throw new FerryException(ErrorCode.USAGE, "cannot write " + target + ": " + e.getMessage(), null, e);
        }
    }

    /** Where the body goes: the uncompressed sync download stream. Do not close it; call {@link #finish}. */
    public OutputStream body() {
        return new FilterOutputStream(body) {
            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                out.write(b, off, len);
            }

            @Override
            public void close() throws IOException {
                flush();
            }
        };
    }

    /**
     * Completes the file: ends the compressed body, appends the footer, forces it to disk and moves it
     * to its name. {@code signWith} may be null for an unsigned file.
     */
    public void finish(DownloadFileHeader header, PrivateKey signWith) {
        try {
            body.finish();
            body.flush();
            byte[] headerJson = header.toJson().getBytes(StandardCharsets.UTF_8);
            byte[] sum = DownloadFileDigest.complete(digest, headerJson);
            ObjectNode footer = JSON.createObjectNode();
            footer.put("header", new String(headerJson, StandardCharsets.UTF_8));
            footer.put("sha256", HexFormat.of().formatHex(sum));
            if (signWith != null) {
                Signature s = Signature.getInstance(SigningKeys.ALGORITHM);
                s.initSign(signWith);
                s.update(sum);
                footer.put("signature", Base64.getEncoder().encodeToString(s.sign()));
            }
            byte[] footerJson = JSON.writeValueAsBytes(footer);
            ByteBuffer tail = ByteBuffer.allocate(footerJson.length + 4 + MAGIC.length);
            tail.put(footerJson).putInt(footerJson.length).put(MAGIC).flip();
            while (tail.hasRemaining()) {
                channel.write(tail, channel.size());
            }
            channel.force(true);
            channel.close();
            try {
                Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
            }
            finished = true;
        } catch (IOException | GeneralSecurityException e) {
            throw new FerryException(ErrorCode.USAGE, "cannot write " + target + ": " + e.getMessage(), null, e);
        }
    }

    /** Discards the file unless {@link #finish} completed it. */
    @Override
    public void close() {
        if (!finished) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // discarding the partial file anyway
            }
            deleteQuietly(temp);
        }
    }

    private static void deleteQuietly(Path p) {
        if (p != null) {
            try {
                Files.deleteIfExists(p);
            } catch (IOException ignored) {
                // a leftover .partial file is harmless and says what it is
            }
        }
    }

    /** Appends to the channel at its end (the footer is written through the channel directly afterwards). */
    private static final class ChannelOutput extends OutputStream {
        private final FileChannel ch;

        ChannelOutput(FileChannel ch) {
            this.ch = ch;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            ByteBuffer buf = ByteBuffer.wrap(b, off, len);
            while (buf.hasRemaining()) {
                ch.write(buf);
            }
        }
    }
}
