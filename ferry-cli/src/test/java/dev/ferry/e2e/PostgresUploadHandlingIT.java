package dev.ferry.e2e;

import java.util.List;

/** Issue 3 upload-handling scenarios on PostgreSQL. */
class PostgresUploadHandlingIT extends UploadHandlingScenarios {
    @Override
    String consolidatedKind() {
        return "postgresql";
    }

    @Override
    List<String> upperCaseCustomerNames() {
        return List.of("CREATE FUNCTION upper_name() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN NEW.name := upper(NEW.name); RETURN NEW; END $$",
                "CREATE TRIGGER customer_upper_name BEFORE INSERT OR UPDATE ON customer FOR EACH ROW EXECUTE FUNCTION upper_name()");
    }

    @Override
    List<String> welcomeOrders() {
        return List.of("CREATE FUNCTION welcome_order() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN"
                        + " INSERT INTO orders VALUES (NEW.id * 100, NEW.id, 'welcome');"
                        + " UPDATE customer SET balance = balance + 1 WHERE id = NEW.id; RETURN NULL; END $$",
                "CREATE TRIGGER a_welcome AFTER INSERT ON customer FOR EACH ROW EXECUTE FUNCTION welcome_order()");
    }

    @Override
    boolean welcomeOrdersChangeTheCustomer() {
        return true;
    }
}
