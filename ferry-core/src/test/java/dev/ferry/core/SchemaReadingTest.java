package dev.ferry.core;

import dev.ferry.core.error.ErrorCode;
import dev.ferry.core.error.FerryException;
import dev.ferry.core.schema.ColumnDef;
import dev.ferry.core.schema.FerryType;
import dev.ferry.core.schema.ForeignKeyDef;
import dev.ferry.core.schema.SchemaReading;
import dev.ferry.core.schema.SchemaRefusal;
import dev.ferry.core.schema.SyncSchema;
import dev.ferry.core.schema.TableDef;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class SchemaReadingTest {
    private static TableDef table(String name, String... parents) {
        List<ForeignKeyDef> fks = java.util.Arrays.stream(parents)
                .map(p -> new ForeignKeyDef("fk_" + name + "_" + p, List.of(p + "_id"), p, List.of("id"))).toList();
        return new TableDef(name, List.of(ColumnDef.of("id", FerryType.BIGINT, false)), List.of("id"), fks);
    }

    /** A table whose key columns into {@code parents} exist, NOT NULL unless named in {@code nullable}. */
    private static TableDef withColumns(String name, List<String> nullable, String... parents) {
        List<ColumnDef> cols = new java.util.ArrayList<>(List.of(ColumnDef.of("id", FerryType.BIGINT, false)));
        List<ForeignKeyDef> fks = new java.util.ArrayList<>();
        for (String p : parents) {
            String col = p + "_ref";
            cols.add(ColumnDef.of(col, FerryType.BIGINT, nullable.contains(col)));
            fks.add(new ForeignKeyDef("fk_" + name + "_" + p, List.of(col), p, List.of("id")));
        }
        return new TableDef(name, cols, List.of("id"), fks);
    }

    private static SchemaReading reading(TableDef... tables) {
        return new SchemaReading(List.of(tables), List.of(), Map.of(), List.of(), Map.of());
    }

    @Test
    void everyTableOnACycleOfNotNullKeysIsRefusedAndTheRestStayWithoutTheirKeysIntoIt() {
        // store -> staff -> store, and two separate cycles, and tables outside them; every key column NOT NULL.
        SchemaReading r = reading(table("store", "staff"), table("staff", "store"), table("payment", "staff", "customer"), table("customer"),
                table("x", "y"), table("y", "x")).withoutCycles();

        assertThat(r.tables()).extracting(TableDef::name).containsExactly("payment", "customer");
        assertThat(r.tables().get(0).foreignKeys()).extracting(ForeignKeyDef::referencedTable).containsExactly("customer");
        assertThat(r.refusals()).extracting(SchemaRefusal::table).containsExactlyInAnyOrder("staff", "store", "x", "y");
        assertThat(r.refusals()).allSatisfy(f -> assertThat(f.code()).isEqualTo(ErrorCode.SCHEMA_FK_CYCLE));
        assertThat(r.refusals().stream().filter(f -> f.table().equals("store")).findFirst().orElseThrow().reason())
                .contains("staff -> store -> staff");
    }

    @Test
    void aCycleWithANullableKeyIsKeptWhole() {
        // pagila: store.manager_staff_id (made nullable here) -> staff, staff.store_id NOT NULL -> store; a nullable
        // self-reference; and a cycle of NOT NULL keys beside them, which alone is refused.
        SchemaReading r = reading(withColumns("store", List.of("staff_ref"), "staff"), withColumns("staff", List.of(), "store"),
                withColumns("employee", List.of("employee_ref"), "employee"), withColumns("payment", List.of(), "staff"),
                withColumns("x", List.of(), "y"), withColumns("y", List.of(), "x")).withoutCycles();

        assertThat(r.tables()).extracting(TableDef::name).containsExactly("store", "staff", "employee", "payment");
        assertThat(r.tables()).allSatisfy(t -> assertThat(t.foreignKeys()).hasSize(1));
        assertThat(r.refusals()).extracting(SchemaRefusal::table).containsExactlyInAnyOrder("x", "y");
        assertThat(r.refusals().get(0).hint()).contains("nullable");

        SyncSchema schema = SyncSchema.of(r.tables());
        // The nullable key closes the cycle: the order follows the other one (staff.store_ref), so store comes first.
        assertThat(schema.tables()).extracting(TableDef::name).containsExactly("employee", "store", "staff", "payment");
        assertThat(schema.closing("store")).extracting(ForeignKeyDef::referencedTable).containsExactly("staff");
        assertThat(schema.closing("staff")).isEmpty();
        assertThat(schema.closing("employee")).extracting(ForeignKeyDef::referencedTable).containsExactly("employee");
        assertThat(schema.onCycle("staff")).isTrue();
        assertThat(schema.onCycle("payment")).isFalse();
    }

    @Test
    void whenEveryKeyOfACycleIsNullableTheSameOneClosesItWhateverTheOrderRead() {
        List<TableDef> tables = List.of(withColumns("store", List.of("staff_ref"), "staff"), withColumns("staff", List.of("store_ref"), "store"));
        SyncSchema one = SyncSchema.of(tables);
        SyncSchema other = SyncSchema.of(List.of(tables.get(1), tables.get(0)));
        assertThat(one.tables()).isEqualTo(other.tables());
        assertThat(one.closing("staff")).isEqualTo(other.closing("staff")).hasSize(1);
        assertThat(one.closing("store")).isEmpty();
    }

    @Test
    void oneRefusalIsReportedAsItselfAndSeveralAsOneListOfAll() {
        SchemaRefusal a = new SchemaRefusal("film", "fulltext", ErrorCode.SCHEMA_UNSUPPORTED_TYPE, "table film column fulltext has type tsvector", "leave it out");
        SchemaRefusal b = new SchemaRefusal("payment", null, ErrorCode.TABLE_NOT_FOUND, "table payment does not exist", null);

        FerryException one = reading().refuse(List.of(a)).refusedError();
        assertThat(one.code()).isEqualTo(ErrorCode.SCHEMA_UNSUPPORTED_TYPE);
        assertThat(one.getMessage()).isEqualTo("table film column fulltext has type tsvector");

        FerryException both = reading().refuse(List.of(a, b)).refusedError();
        assertThat(both.code()).isEqualTo(ErrorCode.SCHEMA_REFUSED);
        assertThat(both.getMessage()).contains("2 problems")
                .contains("SCHEMA_UNSUPPORTED_TYPE: table film column fulltext has type tsvector (leave it out)")
                .contains("TABLE_NOT_FOUND: table payment does not exist");
    }
}
