package dev.ferry.server.auth;

import dev.ferry.core.error.ErrorCode;
import dev.ferry.core.error.FerryException;
import dev.ferry.server.consolidated.ConsolidatedDatabase;
import dev.ferry.server.consolidated.SqlErrors;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDateTime;
import java.time.ZoneOffset;

/**
 * Sync users stored in {@code ferry_user} with salted PBKDF2 hashes. Unknown users and wrong
 * passwords get the same answer, so the server does not reveal which user names exist.
 */
public final class Users {
    private static final int MAX_NAME = 128;
    private final ConsolidatedDatabase db;
    private final PasswordHasher hasher = new PasswordHasher();
    private final int iterations;

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

    /** Returns normally when the password matches; AUTH_FAILED otherwise. */
    public void authenticate(String name, char[] password) {
        PasswordHasher.Hash stored = null;
        if (name != null && password != null) {
            try (Connection c = db.connection();
                 PreparedStatement ps = c.prepareStatement(
                         "SELECT password_hash, salt, iterations FROM ferry_user WHERE user_name = ?")) {
                ps.setString(1, name);
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        stored = new PasswordHasher.Hash(rs.getString(1), rs.getString(2), rs.getInt(3));
                    }
                }
            } catch (SQLException e) {
                throw SqlErrors.wrap("reading user '" + name + "'", db.dialect(), e);
            }
        }
        if (stored == null || !hasher.verify(password, stored)) {
            throw new FerryException(ErrorCode.AUTH_FAILED, "authentication failed for user '" + name + "': unknown user or wrong password",
                    "add the user with `ferry user add` or check the password stored with `ferry remote init`");
        }
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
