/**
 * The sync session: authenticate, hold and apply the upload with retries, check the progress counter, record
 * progress in the upload's transaction, then stream the download. See docs/GUARANTEES.md.
 */
package dev.ferry.server.session;
