package dev.ferry.client;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.OffsetDateTime;

import static org.assertj.core.api.Assertions.assertThat;

class RowKeyTest {
    @Test
    void keysThatTheRemoteStoresAlikeCompareEqual() {
        assertThat(RowKey.of(new Object[]{new BigDecimal("1.50"), "a"})).isEqualTo(RowKey.of(new Object[]{new BigDecimal("1.5"), "a"}));
        assertThat(RowKey.of(new Object[]{new BigDecimal("0.00")})).isEqualTo(RowKey.of(new Object[]{BigDecimal.ZERO}));
        assertThat(RowKey.of(new Object[]{new byte[]{1, 2}})).isEqualTo(RowKey.of(new Object[]{new byte[]{1, 2}}));
        assertThat(RowKey.of(new Object[]{OffsetDateTime.parse("2026-01-01T10:00:00+02:00")}))
                .isEqualTo(RowKey.of(new Object[]{OffsetDateTime.parse("2026-01-01T08:00:00Z")}));
        assertThat(RowKey.of(new Object[]{1L, 2L}).hashCode()).isEqualTo(RowKey.of(new Object[]{1L, 2L}).hashCode());
    }

    @Test
    void differentKeysDiffer() {
        assertThat(RowKey.of(new Object[]{1L, 2L})).isNotEqualTo(RowKey.of(new Object[]{2L, 1L}));
        assertThat(RowKey.of(new Object[]{new BigDecimal("1.5")})).isNotEqualTo(RowKey.of(new Object[]{new BigDecimal("1.05")}));
        assertThat(RowKey.of(new Object[]{new byte[]{1, 2}})).isNotEqualTo(RowKey.of(new Object[]{new byte[]{2, 1}}));
    }
}
