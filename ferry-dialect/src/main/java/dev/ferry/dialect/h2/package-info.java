/**
 * H2, in both roles: {@link dev.ferry.dialect.h2.H2ConsolidatedDialect} (the embedded default
 * consolidated database, changes captured by {@link dev.ferry.dialect.h2.H2ShadowTrigger}) and
 * {@link dev.ferry.dialect.h2.H2RemoteDialect} (a remote, writes tracked by
 * {@link dev.ferry.dialect.h2.H2TrackingTrigger}). H2 triggers are Java classes, so the engine that
 * opens such a database needs ferry-dialect on its class path.
 */
package dev.ferry.dialect.h2;
