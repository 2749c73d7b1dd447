package dev.ferry.dialect.jdbc;

import dev.ferry.core.error.ErrorCode;
import dev.ferry.dialect.SqlFailure;
import org.junit.jupiter.api.Test;

import java.sql.BatchUpdateException;
import java.sql.SQLException;

import static org.assertj.core.api.Assertions.assertThat;

class SqlExceptionChainTest {
    private static SqlFailure rule(SQLException e) {
        return "23505".equals(e.getSQLState()) ? SqlFailure.row(ErrorCode.ROW_DUPLICATE_KEY) : null;
    }

    @Test
    void findsTheCauseInNextExceptionsAndCauses() {
        BatchUpdateException batch = new BatchUpdateException("batch", "HY000", 0, new int[0]);
        batch.setNextException(new SQLException("dup", "23505"));
        assertThat(SqlExceptionChain.classify(batch, SqlExceptionChainTest::rule)).isEqualTo(SqlFailure.row(ErrorCode.ROW_DUPLICATE_KEY));

        SQLException wrapped = new SQLException("outer", "HY000", new RuntimeException("driver", new SQLException("dup", "23505")));
        assertThat(SqlExceptionChain.classify(wrapped, SqlExceptionChainTest::rule)).isEqualTo(SqlFailure.row(ErrorCode.ROW_DUPLICATE_KEY));
        assertThat(SqlExceptionChain.of(wrapped)).hasSize(2);
    }

    @Test
    void unknownIsFatalAndCyclesTerminate() {
        SQLException a = new SQLException("a", "XX000");
        SQLException b = new SQLException("b", "XX001");
        a.setNextException(b);
        b.initCause(a);
        assertThat(SqlExceptionChain.of(a)).containsExactly(a, b);
        assertThat(SqlExceptionChain.classify(a, SqlExceptionChainTest::rule)).isEqualTo(SqlFailure.fatal());
    }
}
