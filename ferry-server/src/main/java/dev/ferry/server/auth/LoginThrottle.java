package dev.ferry.server.auth;

import dev.ferry.server.consolidated.ConsolidatedDatabase;
import dev.ferry.server.consolidated.SqlErrors;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Throttles repeated failed logins (issue 11) per subject: a user name, a client address, a remote id
 * (failed credentials). The counters live in {@code ferry_login_failure} and the clock is the
 * consolidated database's, so every server on the database sees the same blocks (PITFALLS 9: no
 * in-memory state). {@link #check} runs before any password hash is computed, so a blocked subject
 * costs the server one query, and before a login's verdict is told. Thread-safe.
 */
public final class LoginThrottle {
    private static final int MAX_SUBJECT = 255;

    private final ConsolidatedDatabase db;
    private final ThrottlePolicy policy;

    public LoginThrottle(ConsolidatedDatabase db, ThrottlePolicy policy) {
        this.db = db;
        this.policy = policy;
    }

    /** One throttled subject; {@code scope} is {@code user}, {@code address} or {@code remote}. */
    public record Subject(String scope, String name) {
        public Subject {
            name = name.length() > MAX_SUBJECT ? name.substring(0, MAX_SUBJECT) : name;
        }

        static Subject user(String name) {
            return new Subject("user", name);
        }

        static Subject address(String address) {
            return new Subject("address", address);
        }

        static Subject remote(String remoteId) {
            return new Subject("remote", remoteId);
        }

        @Override
        public String toString() {
            return scope + " '" + name + "'";
        }
    }

    /**
     * Throws {@link LoginThrottledException} when any of {@code subjects} is blocked now; else returns those
     * with failures on record, the only ones {@link #succeeded} has anything to clear for (issue 12: a
     * sync's login then costs no write).
     */
    public Set<Subject> check(List<Subject> subjects) {
        try (Connection c = db.connection()) {
            Instant now = db.dialect().currentTime(c);
            long wait = 0;
            Subject blocked = null;
            Set<Subject> recorded = new HashSet<>();
            for (Subject s : subjects) {
                try (PreparedStatement ps = c.prepareStatement("SELECT blocked_until FROM ferry_login_failure WHERE scope = ? AND subject = ?")) {
                    ps.setString(1, s.scope());
                    ps.setString(2, s.name());
                    try (ResultSet rs = ps.executeQuery()) {
                        boolean found = rs.next();
                        if (found) {
                            recorded.add(s);
                        }
                        LocalDateTime until = found ? rs.getObject(1, LocalDateTime.class) : null;
                        if (until != null && until.toInstant(ZoneOffset.UTC).isAfter(now)) {
                            long seconds = secondsUp(Duration.between(now, until.toInstant(ZoneOffset.UTC)));
                            if (seconds > wait) {
                                wait = seconds;
                                blocked = s;
                            }
                        }
                    }
                }
            }
            if (blocked != null) {
                throw new LoginThrottledException("too many failed logins for " + blocked + ": refused for " + wait + " s more", wait);
            }
            return recorded;
        } catch (SQLException e) {
            throw SqlErrors.wrap("reading the login throttle", db.dialect(), e);
        }
    }

    /** Counts a failed login against each subject, blocking those that reach the policy's limit. */
    public void failed(List<Subject> subjects) {
        try (Connection c = db.connection()) {
            c.setAutoCommit(false);
            c.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
            for (Subject s : subjects) {
                // Twice at most: two servers counting the first failure of a subject race to insert its row.
                for (int attempt = 1; ; attempt++) {
                    try {
                        count(c, s);
                        c.commit();
                        break;
                    } catch (SQLException e) {
                        c.rollback();
                        if (attempt > 1) {
                            throw e;
                        }
                    }
                }
            }
        } catch (SQLException e) {
            throw SqlErrors.wrap("counting a failed login", db.dialect(), e);
        }
    }

    /** Forgets the subject's failures and blocks: it proved who it is. */
    public void succeeded(Subject s) {
        try (Connection c = db.connection();
             PreparedStatement ps = c.prepareStatement("DELETE FROM ferry_login_failure WHERE scope = ? AND subject = ?")) {
            ps.setString(1, s.scope());
            ps.setString(2, s.name());
            ps.executeUpdate();
        } catch (SQLException e) {
            throw SqlErrors.wrap("clearing the login throttle", db.dialect(), e);
        }
    }

    private void count(Connection c, Subject s) throws SQLException {
        Instant now = db.dialect().currentTime(c);
        int failures;
        int blocks;
        Instant windowStart;
        Instant blockedUntil;
        boolean exists;
        try (PreparedStatement ps = c.prepareStatement("SELECT failures, window_start, blocks, blocked_until FROM ferry_login_failure"
                + " WHERE scope = ? AND subject = ? FOR UPDATE")) {
            ps.setString(1, s.scope());
            ps.setString(2, s.name());
            try (ResultSet rs = ps.executeQuery()) {
                exists = rs.next();
                failures = exists ? rs.getInt(1) : 0;
                windowStart = exists ? rs.getObject(2, LocalDateTime.class).toInstant(ZoneOffset.UTC) : now;
                blocks = exists ? rs.getInt(3) : 0;
                LocalDateTime until = exists ? rs.getObject(4, LocalDateTime.class) : null;
                blockedUntil = until == null ? null : until.toInstant(ZoneOffset.UTC);
            }
        }
        if (blockedUntil != null && blockedUntil.isAfter(now)) {
            return; // refused before its password was looked at; a block is not extended by the attempts it stops
        }
        if (windowStart.plus(policy.window()).isBefore(now)) {
            // A quiet window ends the count; a quiet window after the last block also ends the doubling.
            failures = 0;
            windowStart = now;
            if (blockedUntil == null || blockedUntil.plus(policy.window()).isBefore(now)) {
                blocks = 0;
            }
        }
        failures++;
        Instant newBlock = null;
        if (failures >= policy.maxFailures()) {
            blocks++;
            newBlock = now.plus(policy.blockFor(blocks));
            failures = 0;
            windowStart = now;
        } else if (blockedUntil != null) {
            newBlock = blockedUntil; // kept: it tells when the doubling may end
        }
        String sql = exists
                ? "UPDATE ferry_login_failure SET failures = ?, window_start = ?, blocks = ?, blocked_until = ? WHERE scope = ? AND subject = ?"
                : "INSERT INTO ferry_login_failure (failures, window_start, blocks, blocked_until, scope, subject) VALUES (?, ?, ?, ?, ?, ?)";
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setInt(1, failures);
            ps.setObject(2, LocalDateTime.ofInstant(windowStart, ZoneOffset.UTC));
            ps.setInt(3, blocks);
            if (newBlock == null) {
                ps.setNull(4, Types.TIMESTAMP);
            } else {
                ps.setObject(4, LocalDateTime.ofInstant(newBlock, ZoneOffset.UTC));
            }
            ps.setString(5, s.scope());
            ps.setString(6, s.name());
            ps.executeUpdate();
        }
    }

    private static long secondsUp(Duration d) {
        long s = d.getSeconds();
        return d.getNano() > 0 ? s + 1 : Math.max(s, 1);
    }
}
