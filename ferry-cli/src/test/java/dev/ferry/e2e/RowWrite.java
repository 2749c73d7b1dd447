package dev.ferry.e2e;

/**
 * One write an application makes, either on a remote (through its own plain connection) or on the
 * consolidated database. Values may break the consolidated CHECK constraints ({@code balance >= 0},
 * {@code qty > 0}): the remote stores them, the server rejects them.
 */
sealed interface RowWrite {
    /** How a row is written: the statements applications really use. */
    enum Via {
        /** {@code UPDATE ... WHERE id = ?}: nothing when the row is missing. */
        UPDATE,
        /** {@code INSERT}: refused when the row exists. */
        INSERT,
        /** SQLite {@code INSERT OR REPLACE}, MariaDB {@code REPLACE INTO}, H2 {@code MERGE ... KEY}, PostgreSQL {@code MERGE}. */
        REPLACE,
        /** {@code INSERT ... ON CONFLICT DO UPDATE} (MariaDB {@code ON DUPLICATE KEY UPDATE}, H2 {@code MERGE ... USING}). */
        UPSERT
    }

    record PutCustomer(long id, String name, int balance, Via via) implements RowWrite {
        @Override
        public String toString() {
            return via + " customer " + id + " (" + name + ", balance " + balance + ")";
        }
    }

    /** {@code withOrders}: the application deletes the customer's orders first, as a careful application does. */
    record DeleteCustomer(long id, boolean withOrders) implements RowWrite {
        @Override
        public String toString() {
            return "DELETE customer " + id + (withOrders ? " and its orders" : " (orders left alone)");
        }
    }

    record PutOrder(long id, long customerId, int qty, Via via) implements RowWrite {
        @Override
        public String toString() {
            return via + " orders " + id + " (customer " + customerId + ", qty " + qty + ")";
        }
    }

    record DeleteOrder(long id) implements RowWrite {
        @Override
        public String toString() {
            return "DELETE orders " + id;
        }
    }

    /**
     * Sets the balance or quantity of the row the same application wrote last (nothing if it wrote
     * none): a user going on editing the record they just changed, for instance while a sync runs.
     */
    record EditLastRow(int value) implements RowWrite {
        @Override
        public String toString() {
            return "UPDATE the row last written here (balance/qty " + value + ")";
        }
    }
}
