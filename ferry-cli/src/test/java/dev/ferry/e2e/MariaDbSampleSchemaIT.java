package dev.ferry.e2e;

import dev.ferry.testkit.TestDatabases;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 13 on MariaDB: a schema modelled on the sakila sample (ENUM rating, SET of special features,
 * YEAR, a generated column, AUTO_INCREMENT keys, a composite key, a trigger that rewrites a column, the
 * server's default collation on text that is not a key) synchronizes as it is to SQLite and H2 remotes,
 * and every table compares cell by cell after edits on both sides. The store/staff cycle is left out.
 */
class MariaDbSampleSchemaIT {
    private static final List<String> DDL = List.of(
            "CREATE TABLE language (language_id TINYINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY, name CHAR(20) NOT NULL) ENGINE=InnoDB",
            "CREATE TABLE film (film_id SMALLINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY, title VARCHAR(128) NOT NULL,"
                    + " release_year YEAR, language_id TINYINT UNSIGNED NOT NULL, rental_rate DECIMAL(4,2) NOT NULL DEFAULT 4.99,"
                    + " rating ENUM('G','PG','PG-13','R','NC-17') DEFAULT 'G',"
                    + " special_features SET('Trailers','Commentaries','Deleted Scenes','Behind the Scenes'),"
                    + " title_length INT AS (CHAR_LENGTH(title)) PERSISTENT, edited INT NOT NULL DEFAULT 0,"
                    + " FOREIGN KEY (language_id) REFERENCES language (language_id)) ENGINE=InnoDB",
            "CREATE TRIGGER film_edited BEFORE UPDATE ON film FOR EACH ROW SET NEW.edited = OLD.edited + 1",
            "CREATE TABLE actor (actor_id SMALLINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY, first_name VARCHAR(45) NOT NULL,"
                    + " last_name VARCHAR(45) NOT NULL) ENGINE=InnoDB",
            "CREATE TABLE film_actor (actor_id SMALLINT UNSIGNED NOT NULL, film_id SMALLINT UNSIGNED NOT NULL, PRIMARY KEY (actor_id, film_id),"
                    + " FOREIGN KEY (actor_id) REFERENCES actor (actor_id), FOREIGN KEY (film_id) REFERENCES film (film_id)) ENGINE=InnoDB",
            "INSERT INTO language (name) VALUES ('English'), ('Italian')",
            "INSERT INTO film (title, release_year, language_id, rating, special_features) VALUES"
                    + " ('ACADEMY DINOSAUR', 2006, 1, 'PG', 'Deleted Scenes,Behind the Scenes'), ('ACE GOLDFINGER', 2006, 2, 'G', NULL)",
            "INSERT INTO actor (first_name, last_name) VALUES ('PENELOPE', 'GUINESS'), ('NICK', 'WAHLBERG')",
            "INSERT INTO film_actor VALUES (1, 1), (2, 1), (1, 2)");

    private static final Map<String, List<String>> TABLES = Map.of(
            "language", List.of("language_id", "name"),
            "film", List.of("film_id", "title", "release_year", "language_id", "rental_rate", "rating", "special_features", "title_length", "edited"),
            "actor", List.of("actor_id", "first_name", "last_name"),
            "film_actor", List.of("actor_id", "film_id"));

    @ParameterizedTest
    @ValueSource(strings = {"sqlite", "h2"})
    void aSakilaLikeSchemaSynchronizesAsItIsAndBothSidesAgreeCellByCell(String kind) throws Exception {
        ConsolidatedFixture cons = new ConsolidatedFixture(TestDatabases.mariadb());
        for (String sql : DDL) {
            cons.jdbc(sql);
        }
        try (RunningFerry ferry = RunningFerry.start(cons, null, Map.of())) {
            RemoteFixture r = ferry.remote(kind, "store-" + kind);
            RunningFerry.sync(r);
            assertAgree(cons, r);

            // The application's plain SQL, the same on both remotes (an H2 remote names the table FILM, issue 13).
            r.app("INSERT INTO film (film_id, title, language_id, special_features) VALUES (100, 'AFRICAN EGG', 1, 'Trailers')");
            r.app("UPDATE film SET rating = 'R', release_year = 2007 WHERE film_id = 2");
            r.app("INSERT INTO film_actor VALUES (2, 100)");
            cons.client("UPDATE actor SET last_name = 'GUINESS-SMITH' WHERE actor_id = 1");
            cons.client("UPDATE film SET special_features = 'Behind the Scenes,Trailers' WHERE film_id = 1");
            RunningFerry.sync(r);
            RunningFerry.sync(r);

            assertThat(cons.query("SELECT rating, release_year, edited FROM film WHERE film_id = 2"))
                    .as("the server's trigger counted the edit, and the remote gets that back").containsExactly(List.of("R", "2007", "1"));
            assertThat(cons.query("SELECT title_length, rental_rate FROM film WHERE film_id = 100")).containsExactly(List.of("11", "4.99"));
            assertAgree(cons, r);
        }
    }

    private static void assertAgree(ConsolidatedFixture cons, RemoteFixture r) throws Exception {
        for (Map.Entry<String, List<String>> t : TABLES.entrySet()) {
            String first = t.getValue().get(0);
            String second = t.getValue().get(1);
            String select = "SELECT " + String.join(", ", t.getValue()) + " FROM " + t.getKey() + " ORDER BY " + first + ", " + second;
            List<List<String>> server = cons.query(select);
            List<List<String>> remote = r.query(select);
            assertThat(remote).as(t.getKey()).isEqualTo(server);
        }
    }
}
