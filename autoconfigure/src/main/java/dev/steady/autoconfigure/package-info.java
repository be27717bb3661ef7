/**
 * Steady's auto-configuration: one sub-package per concern, and the property checks they
 * share.
 */
@NullMarked
package dev.steady.autoconfigure;

import org.jspecify.annotations.NullMarked;
