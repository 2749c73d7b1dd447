package dev.ferry.server.partition;

import dev.ferry.core.error.ErrorCode;
import dev.ferry.core.error.FerryException;
import dev.ferry.core.schema.ColumnDef;
import dev.ferry.core.schema.TableDef;
import dev.ferry.server.config.Publications;
import dev.ferry.server.config.Publications.Direction;
import dev.ferry.server.consolidated.ConsolidatedDatabase;
import dev.ferry.server.consolidated.Provisioner;
import dev.ferry.server.consolidated.TableSql;
import dev.ferry.server.consolidated.Tracking;
import dev.ferry.testkit.TestDatabase;
import dev.ferry.testkit.TestDatabases;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Column lists of publications (docs/PARTITIONS.md, "Column lists") checked and projected against an H2 consolidated database. */
class ColumnListTest {
    private TestDatabase testDb;
    private ConsolidatedDatabase db;
    private Tracking tracking;
    private final Map<String, TableSql> sql = new LinkedHashMap<>();

    @BeforeEach
    void provision() throws Exception {
        testDb = TestDatabases.create("h2");
        db = ConsolidatedDatabase.open(testDb.url(), null, null, 2);
        try (Connection c = testDb.connect(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE orders (id BIGINT PRIMARY KEY, customer_id BIGINT NOT NULL, total INTEGER, status VARCHAR(20) DEFAULT 'new' NOT NULL,"
                    + " note VARCHAR(100), internal_code VARCHAR(20) NOT NULL)");
        }
        tracking = new Provisioner(db).provision(List.of());
        for (TableDef t : tracking.tables()) {
            sql.put(t.name(), new TableSql(db.dialect(), tracking.tracked(t.name())));
        }
    }

    @AfterEach
    void close() throws Exception {
        db.close();
        testDb.close();
    }

    private Partitions build(Map<String, List<String>> columnsByPublication, Direction direction) {
        Map<String, Publications.Publication> pubs = new LinkedHashMap<>();
        columnsByPublication.forEach((pub, cols) -> pubs.put(pub, new Publications.Publication(pub,
                Map.of("orders", new Publications.Table("orders", direction, null, cols)))));
        return Partitions.build(new Publications(pubs), tracking, db, sql);
    }

    private static List<String> names(TableDef t) {
        return t.columns().stream().map(ColumnDef::name).toList();
    }

    @Test
    void aViewCarriesOnlyThePublishedColumnsInTableOrderAndItsStatementsTouchOnlyThem() {
        Partitions p = build(Map.of("field", List.of("status", "id", "customer_id", "internal_code")), Direction.BOTH);
        TableDef t = p.view(List.of("field")).schema().get(0);
        assertThat(names(t)).as("names matched ignoring case, in table order").containsExactly("ID", "CUSTOMER_ID", "STATUS", "INTERNAL_CODE");
        TableSql ts = p.view(List.of("field")).partition(t.name()).table();
        assertThat(ts.insert()).doesNotContain("TOTAL").doesNotContain("NOTE").contains("STATUS");
        assertThat(ts.update()).doesNotContain("TOTAL").doesNotContain("NOTE");
        assertThat(ts.selectRow()).doesNotContain("TOTAL").doesNotContain("NOTE");
    }

    @Test
    void twoPublicationsOfOneTableShareTheUnionOfTheirColumnsAndOneWithoutAListSharesEveryColumn() {
        Map<String, List<String>> lists = new LinkedHashMap<>();
        lists.put("a", List.of("id", "customer_id", "internal_code", "status"));
        lists.put("b", List.of("id", "customer_id", "total", "internal_code"));
        lists.put("all", null);
        Partitions p = build(lists, Direction.BOTH);
        assertThat(names(p.view(List.of("a", "b")).schema().get(0))).containsExactly("ID", "CUSTOMER_ID", "TOTAL", "STATUS", "INTERNAL_CODE");
        assertThat(names(p.view(List.of("a", "all")).schema().get(0))).hasSize(6);
        assertThat(names(p.view(List.of("a")).schema().get(0))).containsExactly("ID", "CUSTOMER_ID", "STATUS", "INTERNAL_CODE");
    }

    @Test
    void aListWithoutTheKeyAnUnknownColumnOrANotNullColumnWithoutDefaultLeftOutIsRefusedNamingIt() {
        assertRefused(List.of("customer_id", "internal_code"), Direction.BOTH, "primary key column ID");
        assertRefused(List.of("id", "customer_id", "internal_code", "colour"), Direction.BOTH, "colour");
        assertRefused(List.of("id", "internal_code"), Direction.BOTH, "CUSTOMER_ID");
        assertRefused(List.of("id", "customer_id"), Direction.UPLOAD_ONLY, "INTERNAL_CODE");
        // A table remotes never write to may leave out any column but the key; defaults and nullable columns never need publishing.
        build(Map.of("field", List.of("id")), Direction.DOWNLOAD_ONLY);
        build(Map.of("field", List.of("id", "customer_id", "internal_code")), Direction.BOTH);
    }

    @Test
    void aColumnAConflictPolicyComparesMustBePublishedByEveryList() {
        Partitions p = build(Map.of("field", List.of("id", "customer_id", "internal_code")), Direction.BOTH);
        assertThatThrownBy(() -> p.requirePublished("ORDERS", "TOTAL", "the conflict policy newer-wins(TOTAL)")).isInstanceOf(FerryException.class)
                .satisfies(e -> assertThat(((FerryException) e).code()).isEqualTo(ErrorCode.CONFIG_INVALID))
                .hasMessageContaining("publications.field.tables.ORDERS.columns").hasMessageContaining("TOTAL");
        p.requirePublished("ORDERS", "CUSTOMER_ID", "the conflict policy newer-wins(CUSTOMER_ID)");
    }

    private void assertRefused(List<String> columns, Direction direction, String naming) {
        assertThatThrownBy(() -> build(Map.of("field", columns), direction)).isInstanceOf(FerryException.class)
                .satisfies(e -> assertThat(((FerryException) e).code()).isEqualTo(ErrorCode.CONFIG_INVALID))
                .hasMessageContaining("publications.field.tables.orders.columns").hasMessageContaining(naming);
    }
}
