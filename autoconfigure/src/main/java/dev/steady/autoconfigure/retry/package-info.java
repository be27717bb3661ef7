/**
 * Auto-configuration of Steady's safe retry filter.
 */
@NullMarked
package dev.steady.autoconfigure.retry;

import org.jspecify.annotations.NullMarked;
