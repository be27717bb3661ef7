/**
 * The Steady sample application.
 */
@NullMarked
package dev.steady.sample;

import org.jspecify.annotations.NullMarked;
