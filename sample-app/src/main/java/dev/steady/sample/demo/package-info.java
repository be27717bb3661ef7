/**
 * The side-by-side demonstration: an unfriendly upstream and the same bursts sent through a
 * plain WebClient and through a Steady client.
 */
@NullMarked
package dev.steady.sample.demo;

import org.jspecify.annotations.NullMarked;
