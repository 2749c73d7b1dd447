package dev.ferry.core;

import dev.ferry.core.error.ErrorCode;
import dev.ferry.core.error.FerryException;
import dev.ferry.core.schema.ColumnDef;
import dev.ferry.core.schema.FerryType;
import dev.ferry.core.schema.ForeignKeyDef;
import dev.ferry.core.schema.SchemaReading;
import dev.ferry.core.schema.SchemaRefusal;
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

    private static SchemaReading reading(TableDef... tables) {
        return new SchemaReading(List.of(tables), List.of(), Map.of(), List.of(), Map.of());
    }

    @Test
    void everyTableOnACycleIsRefusedAndTheRestStayWithoutTheirKeysIntoIt() {
        // store -> staff -> store, and two separate cycles, and tables outside them.
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
