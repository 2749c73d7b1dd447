/**
 * The server's TLS: loading and checking its key and certificate (PKCS#12 or PEM) and the Jetty
 * listener that serves HTTPS with them, or plain HTTP when configured (docs/SECURITY.md "TLS").
 */
package dev.ferry.server.tls;
