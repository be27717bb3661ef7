/**
 * Internal: the property checks Steady's auto-configurations share. Not an API; it may change
 * in any release.
 */
@NullMarked
package dev.steady.autoconfigure.internal;

import org.jspecify.annotations.NullMarked;
