package dev.ferry.dialect.jdbc;

import dev.ferry.core.error.ErrorCode;
import dev.ferry.core.error.FerryException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class IdentifierQuoterTest {
    @Test
    void doublesTheQuoteCharacterOnly() {
        assertThat(IdentifierQuoter.doubleQuotesBytes(63).quote("a\"b`c")).isEqualTo("\"a\"\"b`c\"");
        assertThat(IdentifierQuoter.backticks(64).quote("a\"b`c")).isEqualTo("`a\"b``c`");
        assertThat(IdentifierQuoter.doubleQuotesChars(256).quote("Orders")).isEqualTo("\"Orders\"");
    }

    @Test
    void measuresLengthInTheDatabasesUnit() {
        IdentifierQuoter bytes = IdentifierQuoter.doubleQuotesBytes(4);
        IdentifierQuoter chars = IdentifierQuoter.backticks(4);
        assertThat(bytes.quote("éé")).isEqualTo("\"éé\"");
        assertThatThrownBy(() -> bytes.quote("ééx")).isInstanceOfSatisfying(FerryException.class,
                e -> assertThat(e.getMessage()).contains("ééx").contains("5 bytes"));
        assertThat(chars.quote("😀😀😀😀")).isEqualTo("`😀😀😀😀`");
        assertThatThrownBy(() -> chars.quote("abcde")).isInstanceOf(FerryException.class);
    }

    @Test
    void rejectsEmptyNullAndNul() {
        IdentifierQuoter q = IdentifierQuoter.doubleQuotesBytes(63);
        for (String bad : new String[] {null, "", "a\0b"}) {
            assertThatThrownBy(() -> q.quote(bad)).isInstanceOfSatisfying(FerryException.class,
                    e -> assertThat(e.code()).isEqualTo(ErrorCode.CONFIG_INVALID));
        }
    }
}
