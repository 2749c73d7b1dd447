package dev.ferry.e2e;

import java.util.ArrayList;
import java.util.List;

/** A row of the interleaving property's schema: {@code customer} or {@code orders} and its id. */
record RowKey(String table, long id) implements Comparable<RowKey> {
    static final String CUSTOMER = "customer";
    static final String ORDERS = "orders";
    /** Customers 1 and 2 exist at the start; 3 only after someone inserts it. */
    static final List<Long> CUSTOMER_IDS = List.of(1L, 2L, 3L);
    /** Orders 10 and 11 exist at the start; 12 only after someone inserts it. */
    static final List<Long> ORDER_IDS = List.of(10L, 11L, 12L);

    static RowKey customer(long id) {
        return new RowKey(CUSTOMER, id);
    }

    static RowKey order(long id) {
        return new RowKey(ORDERS, id);
    }

    /** Every key the property can write, parents first. */
    static List<RowKey> all() {
        List<RowKey> keys = new ArrayList<>();
        CUSTOMER_IDS.forEach(id -> keys.add(customer(id)));
        ORDER_IDS.forEach(id -> keys.add(order(id)));
        return keys;
    }

    /** The table's columns, key first: {@code id, name, balance} or {@code id, customer_id, qty}. */
    static List<String> columns(String table) {
        return table.equals(CUSTOMER) ? List.of("id", "name", "balance") : List.of("id", "customer_id", "qty");
    }

    @Override
    public int compareTo(RowKey o) {
        int t = table.compareTo(o.table);
        return t != 0 ? t : Long.compare(id, o.id);
    }

    @Override
    public String toString() {
        return table + " " + id;
    }
}
