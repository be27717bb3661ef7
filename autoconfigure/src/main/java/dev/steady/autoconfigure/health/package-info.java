/**
 * Auto-configuration of Steady's pool state, leak detection, pool meters and health.
 */
@NullMarked
package dev.steady.autoconfigure.health;

import org.jspecify.annotations.NullMarked;
