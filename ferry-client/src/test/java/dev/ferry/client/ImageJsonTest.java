package dev.ferry.client;

import dev.ferry.core.error.FerryException;
import dev.ferry.core.schema.ColumnDef;
import dev.ferry.core.schema.FerryType;
import dev.ferry.core.schema.TableDef;
import dev.ferry.core.value.Values;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

import java.math.BigInteger;
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
}
