package dev.ferry.protocol;

/** Protocol constants shared by client and server. */
public final class Protocol {
    /** The wire protocol version; a peer speaking another version is refused with PROTOCOL_ERROR. */
    public static final int VERSION = 1;
    /** The HTTP path of a sync exchange. */
    public static final String SYNC_PATH = "/v1/sync";
    /** The HTTP path a remote calls after it applied a download, so the server knows its position. */
    public static final String ACK_PATH = "/v1/sync/ack";
    /** The HTTP path serving the {@link SchemaDocument}. */
    public static final String SCHEMA_PATH = "/v1/schema";
    /** The HTTP path where {@code ferry remote init} registers a remote id ({@link RegistrationRequest}). */
    public static final String REMOTES_PATH = "/v1/remotes";
    /** A fresh credential for a remote id, proved with the user's password ({@code ferry remote passwd}); see {@link CredentialGrant}. */
    public static final String CREDENTIAL_PATH = "/v1/remotes/credential";
    public static final String CONTENT_TYPE = "application/json";

    private Protocol() {
    }
}
