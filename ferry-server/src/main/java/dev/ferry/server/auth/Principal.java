package dev.ferry.server.auth;

/**
 * Who a request proved to be: a sync user, and for a request made with a remote's credential the
 * remote id that credential is bound to (null after a password login, which may name any remote id
 * the user may act for). Immutable.
 */
public record Principal(String user, String remoteId) {

    public static Principal ofPassword(String user) {
        return new Principal(user, null);
    }

    public boolean viaCredential() {
        return remoteId != null;
    }
}
