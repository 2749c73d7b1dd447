package dev.ferry.e2e;

/** Issue 10, defect 12 on MariaDB, whose datetime(n) cuts off what it cannot hold; plain TIME holds no fraction. */
class MariaDbFractionalSecondsIT extends FractionalSecondsScenarios {
    @Override
    String consolidatedKind() {
        return "mariadb";
    }

    @Override
    String readingTable() {
        return "CREATE TABLE reading (id INT PRIMARY KEY, at DATETIME(3), at_tz TIMESTAMP(3) NULL, t TIME) ENGINE=InnoDB";
    }
}
