package dev.ferry.client;

import dev.ferry.core.error.FerryException;
import dev.ferry.core.schema.ColumnDef;
import dev.ferry.core.schema.FerryType;
import dev.ferry.core.schema.TableDef;
import dev.ferry.core.value.Values;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Scale;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.LocalDateTime;
import java.util.HexFormat;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The key texts of {@code ferry_pending}: the one-integer fast path must decode exactly as the general JSON path. */
class ImageJsonTest {
    private static final FerryType[] INTEGERS = {FerryType.SMALLINT, FerryType.INTEGER, FerryType.BIGINT};

    private static TableDef table(FerryType keyType) {
        return new TableDef("t", List.of(new ColumnDef("id", keyType, false, null, null, null),
                new ColumnDef("v", FerryType.TEXT, true, null, null, null)), List.of("id"), List.of());
    }

    @Property
    void aSingleIntegerKeyDecodesAsItsNumber(@ForAll long n, @ForAll @IntRange(max = 2) int type) {
        FerryType t = INTEGERS[type];
        Object expected;
        try {
            expected = Values.canonical(t, BigInteger.valueOf(n));
        } catch (FerryException e) {
            assertThatThrownBy(() -> ImageJson.key(table(t), "[" + n + "]")).isInstanceOf(FerryException.class);
            return;
        }
        assertThat(ImageJson.key(table(t), "[" + n + "]")).containsExactly(expected);
    }

    @Test
    void formsTheFastPathDoesNotTakeGoTheGeneralWay() {
        TableDef t = table(FerryType.BIGINT);
        assertThat(ImageJson.key(t, "[ 7 ]")).containsExactly(7L);
        assertThat(ImageJson.key(t, "[-0]")).containsExactly(0L);
        assertThatThrownBy(() -> ImageJson.key(t, "[92233720368547758070]")).isInstanceOf(FerryException.class);
        assertThatThrownBy(() -> ImageJson.key(t, "[-]")).isInstanceOf(FerryException.class);
        assertThat(ImageJson.key(table(FerryType.TEXT), "[\"42\"]")).containsExactly("42");
    }

    private static final TableDef WIDE = new TableDef("w", List.of(new ColumnDef("id", FerryType.BIGINT, false, null, null, null),
            new ColumnDef("name", FerryType.TEXT, true, null, null, null), new ColumnDef("price", FerryType.DECIMAL, true, null, 12, 2),
            new ColumnDef("ratio", FerryType.DOUBLE, true, null, null, null), new ColumnDef("flag", FerryType.BOOLEAN, true, null, null, null),
            new ColumnDef("blob", FerryType.BINARY, true, null, null, null), new ColumnDef("at", FerryType.TIMESTAMP, true, null, null, null)),
            List.of("id"), List.of());

    /** An image as the remote triggers write it (binary as hex, times as text, booleans as 0/1) decodes to the values it was made of. */
    @Property
    void anImageDecodesToTheValuesItHolds(@ForAll long id, @ForAll String name, @ForAll @Scale(2) BigDecimal price, @ForAll double ratio,
                                          @ForAll boolean flag, @ForAll byte[] blob, @ForAll @IntRange(max = 2) int order) {
        if (Double.isNaN(ratio) || Double.isInfinite(ratio)) {
            return;
        }
        LocalDateTime at = LocalDateTime.of(2026, 12, 3, 14, 5, 6, 123_456_000);
        ObjectNode image = new ObjectMapper().createObjectNode();
        if (order == 1) {
            image.put("unknown", "ignored");
        }
        image.put("id", id);
        image.put("name", name);
        image.put("price", price);
        image.put("ratio", ratio);
        image.put("flag", flag ? 1 : 0);
        image.put("blob", HexFormat.of().formatHex(blob));
        if (order == 2) {
            image.putNull("at");
        } else {
            image.put("at", Values.format(FerryType.TIMESTAMP, at));
        }
        Object[] row = ImageJson.image(WIDE, image.toString());
        assertThat(row[0]).isEqualTo(id);
        assertThat(row[1]).isEqualTo(name);
        assertThat((BigDecimal) row[2]).isEqualByComparingTo(price);
        assertThat(row[3]).isEqualTo(ratio);
        assertThat(row[4]).isEqualTo(flag);
        assertThat((byte[]) row[5]).isEqualTo(blob);
        assertThat(row[6]).isEqualTo(order == 2 ? null : at);
    }

    @Test
    void aColumnMissingFromTheImageIsNullAndMalformedJsonIsNamed() {
        assertThat(ImageJson.image(WIDE, "{\"name\": \"x\", \"id\": 3}")).containsExactly(3L, "x", null, null, null, null, null);
        assertThatThrownBy(() -> ImageJson.image(WIDE, "{\"id\": 3")).isInstanceOf(FerryException.class).hasMessageContaining("malformed JSON");
        assertThatThrownBy(() -> ImageJson.image(WIDE, "[3]")).isInstanceOf(FerryException.class).hasMessageContaining("malformed JSON");
    }
}
