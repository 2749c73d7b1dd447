/**
 * Downloads: stamping committed changes with the change clock, streaming a remote's changes from one snapshot,
 * and writing download files (docs/DOWNLOAD-FILES.md).
 */
package dev.ferry.server.download;
