/**
 * Tuned Reactor Netty connection pools and HTTP clients: settings, building, named clients.
 */
@NullMarked
package dev.steady.client;

import org.jspecify.annotations.NullMarked;
