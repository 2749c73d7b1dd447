/**
 * Which database serves as a remote id (issue 10, defect 5): registering an id at {@code ferry remote
 * init} ({@code POST /v1/remotes}), replacing it with {@code --replace}, and the incarnation check every
 * sync passes, so a replaced database is told when and by whom it was replaced. Who may do any of it
 * is {@link dev.ferry.server.auth.RemoteAccess}'s rule. See docs/GUARANTEES.md.
 */
package dev.ferry.server.registration;
