package dev.ferry.server.http;

import dev.ferry.core.error.ErrorCode;
import dev.ferry.core.error.FerryException;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.InputStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MinimumRateBodyTest {
    /** Hands out one byte per read, each after {@code delayMillis}: a client trickling its body. */
    private static InputStream trickle(int bytes, long delayMillis) {
        return new InputStream() {
            private int left = bytes;

            @Override
            public int read() {
                if (left == 0) {
                    return -1;
                }
                try {
                    Thread.sleep(delayMillis);
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
                left--;
                return 'x';
            }
        };
    }

    @Test
    void aTrickledBodyIsCut() {
        InputStream body = new MinimumRateBody(trickle(100, 50), 1024);
        assertThatThrownBy(body::readAllBytes).isInstanceOfSatisfying(FerryException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.PROTOCOL_ERROR);
            assertThat(e.getMessage()).contains("limits.minBodyBytesPerSecond").contains("nothing was applied");
        });
    }

    @Test
    void timeTheServerSpendsElsewhereBeforeReadingIsNotCounted() throws Exception {
        // A sync that waited for a slot (issue 12) starts reading late; its body is all there and arrives at once.
        InputStream body = new MinimumRateBody(new ByteArrayInputStream(new byte[600]), 1024);
        Thread.sleep(1500);
        assertThat(body.read(new byte[100])).isEqualTo(100);
        Thread.sleep(1500);
        assertThat(body.readAllBytes()).hasSize(500);
    }

    @Test
    void zeroMeansNoMinimum() throws Exception {
        assertThat(new MinimumRateBody(trickle(30, 50), 0).readAllBytes()).hasSize(30);
    }
}
