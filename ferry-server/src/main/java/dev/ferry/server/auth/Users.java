package dev.ferry.server.auth;

import dev.ferry.core.error.ErrorCode;
import dev.ferry.core.error.FerryException;
import dev.ferry.server.consolidated.ConsolidatedDatabase;
import dev.ferry.server.consolidated.SqlErrors;

import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.LocalDateTime;
import java.time.ZoneOffset;

/**
 * Sync users stored in {@code ferry_user} with salted PBKDF2 hashes. Unknown users and wrong
 * passwords get the same answer in the same time, so the server does not reveal which user names
 * exist. A disabled user ({@code ferry user disable}) is refused from its next request on. Thread-safe.
 */
public final class Users {
    private static final int MAX_NAME = 128;
    private static final SecureRandom DUMMY_RANDOM = new SecureRandom();
    private final ConsolidatedDatabase db;
    private final PasswordHasher hasher = new PasswordHasher();
    private final int iterations;
    private volatile PasswordHasher.Hash dummy;

    public Users(ConsolidatedDatabase db, int iterations) {
        this.db = db;
        this.iterations = iterations;
    }

    /** Stores a new user; USER_EXISTS if the name is taken. */
    public void add(String name, char[] password) {
        validateName(name);
        if (password == null || password.length == 0) {
            throw new FerryException(ErrorCode.USAGE, "the password for user '" + name + "' is empty");
        }
        PasswordHasher.Hash h = hasher.hash(password, iterations);
        try (Connection c = db.connection();
             PreparedStatement ps = c.prepareStatement(
                     "INSERT INTO ferry_user (user_name, password_hash, salt, iterations, created_at) VALUES (?, ?, ?, ?, ?)")) {
            ps.setString(1, name);
            ps.setString(2, h.hash());
            ps.setString(3, h.salt());
            ps.setInt(4, h.iterations());
            ps.setObject(5, LocalDateTime.now(ZoneOffset.UTC));
            ps.executeUpdate();
        } catch (SQLException e) {
            if (exists(name)) {
                throw new FerryException(ErrorCode.USER_EXISTS, "user '" + name + "' already exists");
            }
            throw SqlErrors.wrap("storing user '" + name + "'", db.dialect(), e);
        }
    }

    /**
     * Returns normally when the password matches and the user is enabled; AUTH_FAILED otherwise. An unknown
     * user is checked against a dummy hash of the configured cost, so it takes as long as a wrong password
     * and the time does not tell which names exist (issue 11); a disabled user's password is checked too.
     */
    public void authenticate(String name, char[] password) {
        PasswordHasher.Hash stored = null;
        boolean disabled = false;
        if (name != null && password != null) {
            try (Connection c = db.connection();
                 PreparedStatement ps = c.prepareStatement(
                         "SELECT password_hash, salt, iterations, disabled_at FROM ferry_user WHERE user_name = ?")) {
                ps.setString(1, name);
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        stored = new PasswordHasher.Hash(rs.getString(1), rs.getString(2), rs.getInt(3));
                        disabled = rs.getObject(4) != null;
                    }
                }
            } catch (SQLException e) {
                throw SqlErrors.wrap("reading user '" + name + "'", db.dialect(), e);
            }
        }
        boolean matches = hasher.verify(password == null ? new char[0] : password, stored == null ? dummy() : stored) && stored != null;
        if (!matches) {
            throw new FerryException(ErrorCode.AUTH_FAILED, "authentication failed for user '" + name + "': unknown user or wrong password",
                    "check the user name and password (`ferry user add` creates users, `ferry user passwd` sets a new password)");
        }
        if (disabled) {
            throw disabled(name);
        }
    }

    static FerryException disabled(String name) {
        return new FerryException(ErrorCode.AUTH_FAILED, "user '" + name + "' is disabled",
                "an administrator can enable it with `ferry user enable --name " + name + "`");
    }

    /** Disables ({@code true}) or enables the user from its next request on; USER_NOT_FOUND for an unknown name. */
    public void setDisabled(String name, boolean disable) {
        try (Connection c = db.connection();
             PreparedStatement ps = c.prepareStatement("UPDATE ferry_user SET disabled_at = ? WHERE user_name = ?")) {
            if (disable) {
                ps.setObject(1, LocalDateTime.ofInstant(db.dialect().currentTime(c), ZoneOffset.UTC));
            } else {
                ps.setNull(1, Types.TIMESTAMP);
            }
            ps.setString(2, name);
            if (ps.executeUpdate() == 0) {
                throw notFound(name);
            }
        } catch (SQLException e) {
            throw SqlErrors.wrap((disable ? "disabling" : "enabling") + " user '" + name + "'", db.dialect(), e);
        }
    }

    /**
     * Sets a new password and revokes every credential issued to the user, in one transaction: whoever
     * knew the old password has nothing left that works, and each remote proves the new one with
     * {@code ferry remote passwd}. Returns how many credentials were revoked; USER_NOT_FOUND for an unknown name.
     */
    public int changePassword(String name, char[] password) {
        if (password == null || password.length == 0) {
            throw new FerryException(ErrorCode.USAGE, "the password for user '" + name + "' is empty");
        }
        PasswordHasher.Hash h = hasher.hash(password, iterations);
        try (Connection c = db.connection()) {
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement("UPDATE ferry_user SET password_hash = ?, salt = ?, iterations = ? WHERE user_name = ?")) {
                ps.setString(1, h.hash());
                ps.setString(2, h.salt());
                ps.setInt(3, h.iterations());
                ps.setString(4, name);
                if (ps.executeUpdate() == 0) {
                    c.rollback();
                    throw notFound(name);
                }
            }
            int revoked = RemoteCredentials.revokeUser(c, name, db.dialect().currentTime(c));
            c.commit();
            return revoked;
        } catch (SQLException e) {
            throw SqlErrors.wrap("changing the password of user '" + name + "'", db.dialect(), e);
        }
    }

    private static FerryException notFound(String name) {
        return new FerryException(ErrorCode.USER_NOT_FOUND, "user '" + name + "' does not exist in this consolidated database",
                "add it with `ferry user add --name " + name + "`");
    }

    /** A hash of a random password at the configured cost, made once, for unknown users to be checked against. */
    private PasswordHasher.Hash dummy() {
        PasswordHasher.Hash d = dummy;
        if (d == null) {
            char[] random = new char[24];
            for (int i = 0; i < random.length; i++) {
                random[i] = (char) ('a' + DUMMY_RANDOM.nextInt(26));
            }
            d = hasher.hash(random, iterations);
            dummy = d;
        }
        return d;
    }

    private boolean exists(String name) {
        try (Connection c = db.connection();
             PreparedStatement ps = c.prepareStatement("SELECT 1 FROM ferry_user WHERE user_name = ?")) {
            ps.setString(1, name);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        } catch (SQLException e) {
            return false;
        }
    }

    static void validateName(String name) {
        if (name == null || name.isBlank() || name.length() > MAX_NAME || name.chars().anyMatch(Character::isISOControl)) {
            throw new FerryException(ErrorCode.USAGE, "user name '" + name + "' is invalid: use 1 to " + MAX_NAME + " printable characters");
        }
    }
}
