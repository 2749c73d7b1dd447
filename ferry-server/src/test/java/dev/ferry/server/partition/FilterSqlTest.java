package dev.ferry.server.partition;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class FilterSqlTest {
    @Test
    void parametersBecomePlaceholdersInOrderOutsideLiteralsQuotedNamesAndCasts() {
        FilterSql f = FilterSql.parse("region_id = :region_id AND note <> ':not_a_param' AND \"col:x\" = 1 AND v::int = :n AND o = :region_id");
        assertThat(f.sql()).isEqualTo("region_id = ? AND note <> ':not_a_param' AND \"col:x\" = 1 AND v::int = ? AND o = ?");
        assertThat(f.parameters()).isEqualTo(List.of("region_id", "n", "region_id"));
    }

    @Test
    void tablesAfterFromAndJoinAreFoundForTheDependencyCheck() {
        FilterSql f = FilterSql.parse("project_id IN (SELECT m.project_id FROM project_member m JOIN Project p ON p.id = m.project_id"
                + " WHERE m.user_name = :user_name) OR id IN (SELECT x FROM a, b)");
        assertThat(f.fromTables()).containsExactlyInAnyOrder("project_member", "project", "a", "b");
        assertThat(f.identifiers()).contains("project_member", "project_id", "user_name");
    }

    @Test
    void anEscapedQuoteStaysInsideItsLiteral() {
        FilterSql f = FilterSql.parse("name = 'it''s :x' AND k = :k");
        assertThat(f.parameters()).isEqualTo(List.of("k"));
        assertThat(f.sql()).isEqualTo("name = 'it''s :x' AND k = ?");
    }
}
