/** Canonical Java values and text forms for each synchronized column type. */
package dev.ferry.core.value;
