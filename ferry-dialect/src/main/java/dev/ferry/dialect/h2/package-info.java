/**
 * H2 (2.x) dialects. The consolidated side is {@link dev.ferry.dialect.h2.H2ConsolidatedDialect}
 * with its helpers (type mapping, value codec, failure classification, tracking) and
 * {@link dev.ferry.dialect.h2.H2ShadowTrigger}, the Java row trigger H2 runs for every write. The
 * type mapping, value codec and failure classifier are not specific to the consolidated side.
 */
package dev.ferry.dialect.h2;
