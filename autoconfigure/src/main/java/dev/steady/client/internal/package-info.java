/**
 * Internal: tuned Reactor Netty connection pools and HTTP clients, failure classification and
 * idle-limit intelligence behind {@code dev.steady.client}. Not an API; it may change in any
 * release.
 */
@NullMarked
package dev.steady.client.internal;

import org.jspecify.annotations.NullMarked;
