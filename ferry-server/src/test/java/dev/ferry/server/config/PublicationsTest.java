package dev.ferry.server.config;

import dev.ferry.core.error.ErrorCode;
import dev.ferry.core.error.FerryException;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PublicationsTest {
    @Test
    void publicationsParseWithDirectionsAndFiltersAndTheUnionOfDirections() {
        Map<String, String> flat = new LinkedHashMap<>();
        flat.put("publications.field.tables.customer.filter", "region_id = :region_id");
        flat.put("publications.field.tables.product.direction", "download-only");
        flat.put("publications.field.tables.orders.columns", "id, customer_id,total ,id");
        flat.put("publications.admin.tables.product.direction", "upload-only");
        Publications p = Publications.parse(flat);
        assertThat(p.byName().keySet()).containsExactly("field", "admin");
        assertThat(p.byName().get("field").tables().get("customer").filter()).isEqualTo("region_id = :region_id");
        assertThat(p.byName().get("field").tables().get("product").direction()).isEqualTo(Publications.Direction.DOWNLOAD_ONLY);
        assertThat(p.byName().get("field").tables().get("customer").columns()).as("no list: every column").isNull();
        assertThat(p.byName().get("field").tables().get("orders").columns()).containsExactly("id", "customer_id", "total");
        assertThat(Publications.Direction.DOWNLOAD_ONLY.union(Publications.Direction.UPLOAD_ONLY)).isEqualTo(Publications.Direction.BOTH);
        assertThat(p.resolve(List.of())).containsExactly("field", "admin");
        assertThatThrownBy(() -> p.resolve(List.of("nope"))).isInstanceOf(FerryException.class)
                .satisfies(e -> assertThat(((FerryException) e).code()).isEqualTo(ErrorCode.PUBLICATION_NOT_FOUND));
    }

    @Test
    void aTypoOrAnUnsupportedSettingIsRefusedNamingTheKey() {
        for (Map.Entry<String, String> bad : Map.of("publications.field.tables.customer.filtr", "x",
                "publications.field.tables.customer.direction", "sideways",
                "publications.field.tables.customer.columns", " , ",
                "publications.field.customer.filter", "x").entrySet()) {
            assertThatThrownBy(() -> Publications.parse(Map.of(bad.getKey(), bad.getValue()))).as(bad.getKey()).isInstanceOf(FerryException.class)
                    .satisfies(e -> assertThat(((FerryException) e).code()).isEqualTo(ErrorCode.CONFIG_INVALID))
                    .hasMessageContaining("publications.field");
        }
    }
}
