/**
 * Server configuration: every option declared once, read from defaults, YAML, environment and flags, and
 * validated at start (README, Configuration).
 */
package dev.ferry.server.config;
