package dev.ferry.server.http;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class SpooledResponseTest {
    private static byte[] random(int n) {
        byte[] b = new byte[n];
        new Random(n).nextBytes(b);
        return b;
    }

    @Test
    void nothingReachesTheClientBeforeReleaseThenEverythingInOrder() throws Exception {
        for (int size : new int[]{10, SpooledResponse.MEMORY_BYTES, SpooledResponse.MEMORY_BYTES * 3 + 7}) {
            ByteArrayOutputStream client = new ByteArrayOutputStream();
            byte[] body = random(size);
            try (SpooledResponse spool = new SpooledResponse(client, 64L << 20)) {
                for (int at = 0; at < body.length; at += 1000) {
                    spool.write(body, at, Math.min(1000, body.length - at));
                }
                spool.flush();
                assertThat(client.size()).as("held back, " + size + " bytes").isZero();
                spool.release();
            }
            assertThat(client.toByteArray()).isEqualTo(body);
        }
    }

    @Test
    void beyondTheLimitWhatWasHeldGoesOutAndTheRestStreams() throws Exception {
        ByteArrayOutputStream client = new ByteArrayOutputStream();
        byte[] body = random(5000);
        try (SpooledResponse spool = new SpooledResponse(client, 3000)) {
            spool.write(body, 0, 2500);
            assertThat(client.size()).isZero();
            spool.write(body, 2500, 1000);
            assertThat(client.size()).as("passing through").isEqualTo(3500);
            spool.write(body, 3500, 1500);
            spool.release();
        }
        assertThat(client.toByteArray()).isEqualTo(body);
    }
}
