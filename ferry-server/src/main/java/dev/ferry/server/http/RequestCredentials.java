package dev.ferry.server.http;

import dev.ferry.core.error.ErrorCode;
import dev.ferry.core.error.FerryException;
import dev.ferry.server.auth.Authenticator;
import dev.ferry.server.auth.Principal;
import io.javalin.http.Context;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * What a request's {@code Authorization} header proves (docs/PROTOCOL.md "Authentication"): HTTP Basic
 * with a user's password, or {@code Bearer <credential>} with a remote's credential. Which endpoints take
 * which is decided here: syncs and acknowledgements only credentials, registration and
 * {@code remote passwd} only passwords, the schema either. The client address for throttling is the TCP
 * peer's ({@code X-Forwarded-For} is not trusted). Nothing of the header reaches a message.
 */
final class RequestCredentials {
    private static final String BASIC = "Basic ";
    private static final String BEARER = "Bearer ";

    private RequestCredentials() {
    }

    /** A user's password: {@code remote init}, {@code remote passwd}. */
    static Principal password(Context ctx, Authenticator auth) {
        String header = ctx.header("Authorization");
        if (header == null || !header.regionMatches(true, 0, BASIC, 0, BASIC.length())) {
            throw new FerryException(ErrorCode.AUTH_FAILED, "this request needs the user's password (HTTP Basic)",
                    "send HTTP Basic user and password");
        }
        return basic(header, ctx, auth);
    }

    /** A remote's credential: every sync and acknowledgement. */
    static Principal credential(Context ctx, Authenticator auth) {
        String header = ctx.header("Authorization");
        if (header != null && header.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            return auth.credential(header.substring(BEARER.length()).trim(), ctx.ip());
        }
        throw new FerryException(ErrorCode.AUTH_FAILED, "a sync authenticates with the remote's credential (Authorization: Bearer), not a password",
                "a remote gets its credential from `ferry remote init`, or a new one from `ferry remote passwd --db FILE --user USER`");
    }

    /** Either form: the schema, read before a remote exists and by remotes. */
    static Principal either(Context ctx, Authenticator auth) {
        String header = ctx.header("Authorization");
        return header != null && header.regionMatches(true, 0, BEARER, 0, BEARER.length()) ? credential(ctx, auth) : password(ctx, auth);
    }

    private static Principal basic(String header, Context ctx, Authenticator auth) {
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(header.substring(BASIC.length()).trim()), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new FerryException(ErrorCode.AUTH_FAILED, "the HTTP Basic credentials are not valid base64", "send HTTP Basic user and password");
        }
        int colon = decoded.indexOf(':');
        if (colon < 0) {
            throw new FerryException(ErrorCode.AUTH_FAILED, "the HTTP Basic credentials have no password", "send HTTP Basic user and password");
        }
        return auth.password(decoded.substring(0, colon), decoded.substring(colon + 1).toCharArray(), ctx.ip());
    }
}
