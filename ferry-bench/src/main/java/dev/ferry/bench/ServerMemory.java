package dev.ferry.bench;

/**
 * What the server JVM used while one measurement ran, in bytes; {@link #UNKNOWN} (-1) where it could
 * not be read. {@code peakHeap} is the highest heap use sampled (garbage included, so it approaches the
 * heap size under load); {@code peakLive} the highest heap use right after a collection, the live set
 * that must not grow with an upload's size; {@code peakRss} the resident set's high-water mark.
 */
record ServerMemory(long peakHeap, long peakLive, long peakRss) {
    static final long UNKNOWN = -1;
    static final ServerMemory NONE = new ServerMemory(UNKNOWN, UNKNOWN, UNKNOWN);
}
