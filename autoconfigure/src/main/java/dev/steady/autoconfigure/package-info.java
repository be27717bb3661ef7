/**
 * Steady's auto-configuration: one sub-package per concern.
 */
@NullMarked
package dev.steady.autoconfigure;

import org.jspecify.annotations.NullMarked;
