package dev.ferry.e2e;

/** Issue 11 authentication, credential and throttling scenarios on MariaDB. */
class MariaDbAuthenticationIT extends AuthenticationScenarios {
    @Override
    String consolidatedKind() {
        return "mariadb";
    }
}
