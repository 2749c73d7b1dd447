/**
 * The download file: a sync download written to a file for a remote that cannot reach the server
 * (or needs a large initial load), with the metadata its checks need, a checksum and an optional
 * Ed25519 signature. See docs/DOWNLOAD-FILES.md for the format and the checks.
 */
package dev.ferry.protocol.downloadfile;
