/**
 * Auto-configuration of Steady's tuned {@code WebClient} connection pools.
 */
@NullMarked
package dev.steady.autoconfigure.client;

import org.jspecify.annotations.NullMarked;
