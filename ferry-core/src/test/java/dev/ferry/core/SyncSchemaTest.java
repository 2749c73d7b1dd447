package dev.ferry.core;

import dev.ferry.core.error.ErrorCode;
import dev.ferry.core.error.FerryException;
import dev.ferry.core.schema.ColumnDef;
import dev.ferry.core.schema.FerryType;
import dev.ferry.core.schema.ForeignKeyDef;
import dev.ferry.core.schema.SyncSchema;
import dev.ferry.core.schema.TableDef;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SyncSchemaTest {
    private static TableDef table(String name, String... parents) {
        List<ForeignKeyDef> fks = java.util.Arrays.stream(parents)
                .map(p -> new ForeignKeyDef("fk_" + name + "_" + p, List.of(p + "_id"), p, List.of("id"))).toList();
        return new TableDef(name, List.of(ColumnDef.of("id", FerryType.BIGINT, false)), List.of("id"), fks);
    }

    @Test
    void ordersParentsBeforeChildrenWhateverTheInputOrder() {
        // seed 003: A and C reference B, so B's rows go first
        SyncSchema s = SyncSchema.of(List.of(table("a", "b"), table("c", "b"), table("b"), table("d", "a", "c")));
        List<String> order = s.tables().stream().map(TableDef::name).toList();
        assertThat(order.indexOf("b")).isLessThan(order.indexOf("a")).isLessThan(order.indexOf("d"));
        assertThat(order.indexOf("c")).isLessThan(order.indexOf("d"));
    }

    @Test
    void selfReferenceIsAllowed() {
        SyncSchema s = SyncSchema.of(List.of(table("employee", "employee")));
        assertThat(s.tables()).extracting(TableDef::name).containsExactly("employee");
    }

    @Test
    void cycleBetweenTablesIsRefusedNamingTheCycle() {
        assertThatThrownBy(() -> SyncSchema.of(List.of(table("x", "y"), table("y", "z"), table("z", "x"))))
                .isInstanceOf(FerryException.class)
                .satisfies(e -> assertThat(((FerryException) e).code()).isEqualTo(ErrorCode.SCHEMA_FK_CYCLE))
                .hasMessageContaining("x").hasMessageContaining("y").hasMessageContaining("z");
    }

    @Test
    void foreignKeysToUnsyncedTablesDoNotMatter() {
        SyncSchema s = SyncSchema.of(List.of(table("a", "elsewhere")));
        assertThat(s.tables()).hasSize(1);
    }

    @Test
    void tableWithoutPrimaryKeyIsRefused() {
        assertThatThrownBy(() -> new TableDef("t", List.of(ColumnDef.of("x", FerryType.TEXT, true)), List.of(), List.of()))
                .isInstanceOf(FerryException.class).hasMessageContaining("no primary key");
    }
}
