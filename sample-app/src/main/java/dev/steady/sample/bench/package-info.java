/**
 * The benchmark of Steady's clients against a bare Reactor Netty client on loopback, run with
 * {@code ./mvnw -pl sample-app -am -P benchmark verify}; not part of the test run.
 */
@NullMarked
package dev.steady.sample.bench;

import org.jspecify.annotations.NullMarked;
