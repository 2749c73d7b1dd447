package dev.ferry.e2e;

/** Issue 11 authentication, credential and throttling scenarios on PostgreSQL. */
class PostgresAuthenticationIT extends AuthenticationScenarios {
    @Override
    String consolidatedKind() {
        return "postgresql";
    }
}
