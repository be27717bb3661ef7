/**
 * Internal: the retry filter that never sends a non-idempotent request twice, its budget
 * and its decision. Not an API; it may change in any release.
 */
@NullMarked
package dev.steady.retry.internal;

import org.jspecify.annotations.NullMarked;
