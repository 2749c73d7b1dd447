package dev.ferry.protocol;

import dev.ferry.core.schema.ColumnDef;
import dev.ferry.core.schema.FerryType;
import dev.ferry.core.schema.TableDef;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class SchemaDocumentTest {
    /** The server's own type of a column that travels as text (issue 13) stays on the server. */
    @Test
    void remotesAreNotToldTheServersOwnTypeOfATextColumn() throws Exception {
        TableDef t = new TableDef("profile", List.of(ColumnDef.of("id", FerryType.INTEGER, false),
                ColumnDef.of("mood", FerryType.TEXT, true).withServerType("mood_enum")), List.of("id"), List.of());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new SchemaDocument(Protocol.VERSION, "db-1", List.of(t)).write(out);

        assertThat(out.toString(StandardCharsets.UTF_8)).doesNotContain("mood_enum");
        SchemaDocument back = SchemaDocument.read(new ByteArrayInputStream(out.toByteArray()));
        assertThat(back.tables().get(0).column("mood")).isEqualTo(ColumnDef.of("mood", FerryType.TEXT, true));
    }
}
