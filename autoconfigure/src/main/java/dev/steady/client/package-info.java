/**
 * Steady's client API: {@link dev.steady.client.SteadyClients} hands out named clients,
 * {@link dev.steady.client.SteadyRequestOptions} sets per-request options,
 * {@link dev.steady.client.SteadyConnectionProviderCustomizer} and
 * {@link dev.steady.client.SteadyClientObserver} beans customize and watch the pools, and
 * {@link dev.steady.client.ResolvedClient} and {@link dev.steady.client.ClientSettings} are
 * the immutable settings in effect. The machinery behind them is in
 * {@code dev.steady.client.internal}.
 */
@NullMarked
package dev.steady.client;

import org.jspecify.annotations.NullMarked;
