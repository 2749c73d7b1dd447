package dev.ferry.dialect;

import dev.ferry.core.error.FerryException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Issue 11: no database password in a message or a log line. */
class DialectsRedactTest {

    @Test
    void passwordsInJdbcUrlsAreMasked() {
        assertThat(Dialects.redact("jdbc:postgresql://db:5432/shop?user=ferry&password=Sup3r&ssl=true"))
                .isEqualTo("jdbc:postgresql://db:5432/shop?user=ferry&password=***&ssl=true");
        assertThat(Dialects.redact("jdbc:mariadb://ferry:Sup3r@db:3306/shop")).isEqualTo("jdbc:mariadb://ferry:***@db:3306/shop");
        assertThat(Dialects.redact("jdbc:h2:file:./data;USER=sa;PASSWORD=Sup3r;AUTO_SERVER=TRUE")).doesNotContain("Sup3r");
        assertThat(Dialects.redact("jdbc:postgresql://db:5432/shop")).isEqualTo("jdbc:postgresql://db:5432/shop");
    }

    @Test
    void anUnsupportedUrlIsNamedWithoutItsPassword() {
        assertThatThrownBy(() -> Dialects.consolidated("jdbc:oracle:thin:scott:Sup3r@//db:1521/x?password=Sup3r"))
                .isInstanceOf(FerryException.class).message().doesNotContain("Sup3r");
    }
}
