package dev.ferry.server.auth;

import dev.ferry.core.error.ErrorCode;
import dev.ferry.core.error.FerryException;
import dev.ferry.server.consolidated.ConsolidatedDatabase;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Proves who a request comes from (issue 11), throttled per user name, client address and remote id
 * ({@link LoginThrottle}): a password ({@code remote init}, {@code remote passwd}, the schema) or a
 * remote's credential (every sync and acknowledgement). A blocked subject is refused before any password
 * hash is computed (a credential is looked up first: a SHA-256 and one indexed read), and before any
 * verdict is told; every wrong password and every credential that does not match counts against the
 * subjects involved (a revoked credential does not: it is no guess); success clears the user's (or the
 * remote's) counter but never the address's, so one good account does not lift a block on an address.
 * Messages never hold the password or the credential. Thread-safe.
 */
public final class Authenticator {
    private final Users users;
    private final RemoteCredentials credentials;
    private final LoginThrottle throttle;

    public Authenticator(ConsolidatedDatabase db, Users users, ThrottlePolicy policy) {
        this.users = users;
        this.credentials = new RemoteCredentials(db);
        this.throttle = new LoginThrottle(db, policy);
    }

    public RemoteCredentials credentials() {
        return credentials;
    }

    /** The user, when {@code password} is theirs and they are enabled; AUTH_FAILED or AUTH_THROTTLED otherwise. */
    public Principal password(String user, char[] password, String address) {
        List<LoginThrottle.Subject> subjects = new ArrayList<>(List.of(LoginThrottle.Subject.address(address)));
        if (user != null) {
            subjects.add(LoginThrottle.Subject.user(user));
        }
        throttle.check(subjects);
        try {
            users.authenticate(user, password);
        } catch (FerryException e) {
            if (e.code() == ErrorCode.AUTH_FAILED) {
                throttle.failed(subjects);
            }
            throw e;
        }
        if (user != null) {
            throttle.succeeded(LoginThrottle.Subject.user(user));
        }
        return Principal.ofPassword(user);
    }

    /** The user and remote id {@code credential} is bound to, when it is live and its user enabled; AUTH_FAILED or AUTH_THROTTLED otherwise. */
    public Principal credential(String credential, String address) {
        LoginThrottle.Subject from = LoginThrottle.Subject.address(address);
        // Looked up first (one indexed read and a SHA-256, no password hash) so that one throttle read covers
        // the address and the remote id, and a success with no failures on record writes nothing (issue 12:
        // this ran on four pooled connections per sync); the verdict is still told only after the throttle.
        RemoteCredentials.Check check = credentials.check(credential);
        LoginThrottle.Subject remote = check.remoteId() == null ? null : LoginThrottle.Subject.remote(check.remoteId());
        Set<LoginThrottle.Subject> recorded = throttle.check(remote == null ? List.of(from) : List.of(from, remote));
        if (check.verdict() == RemoteCredentials.Verdict.VALID) {
            if (remote != null && recorded.contains(remote)) {
                throttle.succeeded(remote);
            }
            return new Principal(check.user(), check.remoteId());
        }
        if (check.verdict() == RemoteCredentials.Verdict.INVALID) {
            // Only a guess counts: a revoked credential or a disabled user's is a device that keeps retrying,
            // and counting it would block every other remote behind the same address.
            throttle.failed(remote == null ? List.of(from) : List.of(from, remote));
        }
        throw switch (check.verdict()) {
            case REVOKED -> new FerryException(ErrorCode.AUTH_FAILED, "the credential of remote " + check.remoteId() + " was revoked",
                    "prove the user's identity again with `ferry remote passwd --db FILE --user " + check.user() + "` (the password may have changed)");
            case USER_DISABLED -> Users.disabled(check.user());
            default -> new FerryException(ErrorCode.AUTH_FAILED, "the remote's credential is not valid for this server",
                    "get a new one with `ferry remote passwd --db FILE --user USER`");
        };
    }
}
