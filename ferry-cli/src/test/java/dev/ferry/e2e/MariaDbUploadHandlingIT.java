package dev.ferry.e2e;

import java.util.List;

/** Issue 3 upload-handling scenarios on MariaDB. */
class MariaDbUploadHandlingIT extends UploadHandlingScenarios {
    @Override
    String consolidatedKind() {
        return "mariadb";
    }

    @Override
    List<String> upperCaseCustomerNames() {
        return List.of("CREATE TRIGGER customer_upper_name_i BEFORE INSERT ON customer FOR EACH ROW SET NEW.name = UPPER(NEW.name)",
                "CREATE TRIGGER customer_upper_name_u BEFORE UPDATE ON customer FOR EACH ROW SET NEW.name = UPPER(NEW.name)");
    }

    /** MariaDB refuses a trigger that writes the table it is defined on (error 1442). */
    @Override
    List<String> welcomeOrders() {
        return List.of("CREATE TRIGGER a_welcome AFTER INSERT ON customer FOR EACH ROW INSERT INTO orders VALUES (NEW.id * 100, NEW.id, 'welcome')");
    }

    @Override
    boolean welcomeOrdersChangeTheCustomer() {
        return false;
    }
}
