package dev.steady.autoconfigure.retry;

import java.util.ArrayList;
import java.util.List;

import io.github.resilience4j.micrometer.tagged.TaggedRetryMetrics;
import io.github.resilience4j.retry.RetryRegistry;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.jspecify.annotations.Nullable;

/**
 * Resilience4j's retry meters ({@code resilience4j.retry.calls}), bound to the application's
 * meter registries once the {@link RetryRegistry} is first used rather than while the
 * application starts, which would build the registry for nothing in an application that
 * never calls a client. Boot binds this to each meter registry as it binds every
 * {@link MeterBinder}; the retry registry is handed over when a client first needs a retry
 * instance, before any instance exists, so every call is counted. Either may come first.
 */
final class RetryMetricsOnFirstUse implements MeterBinder {

	private final List<MeterRegistry> meterRegistries = new ArrayList<>();

	private @Nullable RetryRegistry retryRegistry;

	@Override
	public synchronized void bindTo(MeterRegistry meterRegistry) {
		this.meterRegistries.add(meterRegistry);
		if (this.retryRegistry != null) {
			TaggedRetryMetrics.ofRetryRegistry(this.retryRegistry).bindTo(meterRegistry);
		}
	}

	/**
	 * Bind the meters of the retry registry, now in use, to every meter registry seen so far,
	 * and to those seen later.
	 * @param retryRegistry the registry of Steady's retry instances
	 */
	synchronized void inUse(RetryRegistry retryRegistry) {
		this.retryRegistry = retryRegistry;
		this.meterRegistries.forEach(TaggedRetryMetrics.ofRetryRegistry(retryRegistry)::bindTo);
	}

}
