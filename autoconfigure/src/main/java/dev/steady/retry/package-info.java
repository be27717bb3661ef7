/**
 * Failure classification and the retry filter that never sends a non-idempotent request twice.
 */
@NullMarked
package dev.steady.retry;

import org.jspecify.annotations.NullMarked;
