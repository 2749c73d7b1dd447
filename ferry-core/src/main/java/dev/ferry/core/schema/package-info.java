/** Database-independent description of the synchronized tables: columns, keys and their order. */
package dev.ferry.core.schema;
