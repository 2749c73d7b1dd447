/** The single exception hierarchy and the stable error codes shared by wire, HTTP and CLI. */
package dev.ferry.core.error;
