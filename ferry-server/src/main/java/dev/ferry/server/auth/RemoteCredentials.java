package dev.ferry.server.auth;

import dev.ferry.core.error.ErrorCode;
import dev.ferry.core.error.FerryException;
import dev.ferry.server.consolidated.ConsolidatedDatabase;
import dev.ferry.server.consolidated.SqlErrors;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.HexFormat;

/**
 * Per-remote credentials (issue 11): what a remote presents on every sync instead of its user's
 * password. A credential is {@code <credential id>.<secret>}, both random base64url (96 and 256 bits
 * from {@link SecureRandom}); {@code ferry_remote_credential} keeps the id, the remote id and user it
 * is bound to, and only the SHA-256 of the secret. A fast hash is right for a 256-bit random secret
 * (nothing to guess, unlike a password), so verifying costs one digest, compared in constant time.
 * {@code ferry remote passwd} revokes a remote id's other credentials; {@code remote init --replace}
 * does not, so the replaced database keeps hearing {@code REMOTE_REINITIALIZED} (and can take the id
 * back with {@code remote reset}, issue 10) until {@code remote passwd} on the new one locks it out. Thread-safe.
 */
public final class RemoteCredentials {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final int ID_BYTES = 12;
    private static final int SECRET_BYTES = 32;
    private static final int MAX_TOKEN = 128;

    private final ConsolidatedDatabase db;

    public RemoteCredentials(ConsolidatedDatabase db) {
        this.db = db;
    }

    /** What a presented credential turned out to be; {@code remoteId} and {@code user} are null when its id is unknown. */
    public record Check(Verdict verdict, String remoteId, String user) {
    }

    /** The verdict on a presented credential. */
    public enum Verdict {
        VALID,
        /** Not a credential this database issued, or its secret does not match. */
        INVALID,
        /** Issued and matching, but revoked (remote passwd, remote revoke-credential, user passwd). */
        REVOKED,
        /** Valid, but its user is disabled. */
        USER_DISABLED
    }

    /**
     * Issues a credential for {@code user} acting for {@code remoteId}, with {@code revokeOthers} revoking the
     * remote id's live ones, in the caller's transaction. Returns the credential: the only time its secret
     * exists outside the remote.
     */
    public String issue(Connection c, String remoteId, String user, Instant now, boolean revokeOthers) throws SQLException {
        if (revokeOthers) {
            revokeRemote(c, remoteId, now);
        }
        String id = random(ID_BYTES);
        String secret = random(SECRET_BYTES);
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO ferry_remote_credential (credential_id, remote_id, user_name, secret_hash, created_at)"
                + " VALUES (?, ?, ?, ?, ?)")) {
            ps.setString(1, id);
            ps.setString(2, remoteId);
            ps.setString(3, user);
            ps.setString(4, digest(secret));
            ps.setObject(5, LocalDateTime.ofInstant(now, ZoneOffset.UTC));
            ps.executeUpdate();
        }
        return id + "." + secret;
    }

    /** Judges a presented credential; never throws for a malformed one (that is {@link Verdict#INVALID}). */
    public Check check(String credential) {
        int dot = credential == null ? -1 : credential.indexOf('.');
        String id = dot > 0 && credential.length() <= MAX_TOKEN ? credential.substring(0, dot) : "";
        String presented = digest(dot > 0 ? credential.substring(dot + 1) : "");
        try (Connection c = db.connection();
             PreparedStatement ps = c.prepareStatement("SELECT k.remote_id, k.user_name, k.secret_hash, k.revoked_at, u.disabled_at"
                     + " FROM ferry_remote_credential k JOIN ferry_user u ON u.user_name = k.user_name WHERE k.credential_id = ?")) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return new Check(Verdict.INVALID, null, null);
                }
                String remoteId = rs.getString(1);
                String user = rs.getString(2);
                if (!MessageDigest.isEqual(rs.getString(3).getBytes(StandardCharsets.US_ASCII), presented.getBytes(StandardCharsets.US_ASCII))) {
                    return new Check(Verdict.INVALID, remoteId, user);
                }
                if (rs.getObject(4) != null) {
                    return new Check(Verdict.REVOKED, remoteId, user);
                }
                return new Check(rs.getObject(5) != null ? Verdict.USER_DISABLED : Verdict.VALID, remoteId, user);
            }
        } catch (SQLException e) {
            throw SqlErrors.wrap("checking a remote credential", db.dialect(), e);
        }
    }

    /** Revokes the live credential of {@code remoteId} ({@code ferry remote revoke-credential}); false when it had none. REMOTE_NOT_FOUND for an unknown id. */
    public boolean revoke(String remoteId) {
        try (Connection c = db.connection()) {
            if (RemoteAccess.owner(c, remoteId) == null) {
                throw new FerryException(ErrorCode.REMOTE_NOT_FOUND, "remote id " + remoteId + " is not registered in this consolidated database",
                        "check the id and --consolidated");
            }
            return revokeRemote(c, remoteId, db.dialect().currentTime(c)) > 0;
        } catch (SQLException e) {
            throw SqlErrors.wrap("revoking the credential of remote id " + remoteId, db.dialect(), e);
        }
    }

    /** Revokes every live credential issued to {@code user}, in the caller's transaction; returns how many. */
    public static int revokeUser(Connection c, String user, Instant now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE ferry_remote_credential SET revoked_at = ? WHERE user_name = ? AND revoked_at IS NULL")) {
            ps.setObject(1, LocalDateTime.ofInstant(now, ZoneOffset.UTC));
            ps.setString(2, user);
            return ps.executeUpdate();
        }
    }

    private static int revokeRemote(Connection c, String remoteId, Instant now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE ferry_remote_credential SET revoked_at = ? WHERE remote_id = ? AND revoked_at IS NULL")) {
            ps.setObject(1, LocalDateTime.ofInstant(now, ZoneOffset.UTC));
            ps.setString(2, remoteId);
            return ps.executeUpdate();
        }
    }

    private static String random(int bytes) {
        byte[] b = new byte[bytes];
        RANDOM.nextBytes(b);
        return B64.encodeToString(b);
    }

    private static String digest(String secret) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK lacks SHA-256", e);
        }
    }
}
