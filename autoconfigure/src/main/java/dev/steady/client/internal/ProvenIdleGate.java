package dev.steady.client.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import io.netty.channel.Channel;
import org.jspecify.annotations.Nullable;
import org.reactivestreams.Subscription;
import reactor.core.CoreSubscriber;
import reactor.core.publisher.Mono;
import reactor.netty.Connection;
import reactor.netty.ConnectionObserver;
import reactor.util.context.Context;

/**
 * Stands between the pool and one request that must not be sent twice, as the observer of
 * the connection the pool hands over and as the subscriber of the acquire. When the pool
 * hands over a reused connection that, by now, has been idle for longer than its host
 * proved safe ({@link ConnectionEvictionPolicy#refuseOnAcquire}), the gate keeps every event
 * of it from the request, has the policy put it aside (kept as the host's survival probe, or
 * closed), and acquires again; the request is never written on it.
 * <p>
 * One gate is the whole cost of an acquire whose connection is fresh or within the proven
 * idle time: nothing else is assembled.
 */
final class ProvenIdleGate implements ConnectionObserver, CoreSubscriber<Connection>, Subscription {

	private final ConnectionObserver request;

	private final @Nullable ConnectionObserver tracker;

	private final ConnectionEvictionPolicy policy;

	private final Function<ConnectionObserver, Mono<? extends Connection>> pool;

	private @Nullable CoreSubscriber<? super Connection> actual;

	private volatile @Nullable Subscription upstream;

	private volatile boolean cancelled;

	/** Whether the connection of the current acquire was rejected. */
	private volatile boolean rejected;

	/** Channels rejected so far, whose late events the request must not see. */
	private volatile @Nullable List<Channel> rejectedChannels;

	/**
	 * Create the gate of one acquire.
	 * @param request the request's observer
	 * @param tracker observer of every connection, told after the request, or {@code null}
	 * @param policy decides whether a reused connection is too idle
	 * @param pool acquires a connection from the pool for the given observer
	 */
	ProvenIdleGate(ConnectionObserver request, @Nullable ConnectionObserver tracker, ConnectionEvictionPolicy policy,
			Function<ConnectionObserver, Mono<? extends Connection>> pool) {
		this.request = request;
		this.tracker = tracker;
		this.policy = policy;
		this.pool = pool;
	}

	/**
	 * Acquire for the subscriber.
	 * @param subscriber the subscriber of the acquire
	 */
	void subscribe(CoreSubscriber<? super Connection> subscriber) {
		this.actual = subscriber;
		this.pool.apply(this).subscribe(this);
	}

	@Override
	public void onStateChange(Connection connection, State state) {
		if (this.rejectedChannels != null && isRejected(connection.channel())) {
			return;
		}
		if (state == State.ACQUIRED) {
			ConnectionEvictionPolicy.Refusal refusal = this.policy.refuseOnAcquire(connection);
			if (refusal != ConnectionEvictionPolicy.Refusal.NONE) {
				reject(connection, refusal);
				return;
			}
		}
		this.request.onStateChange(connection, state);
		if (this.tracker != null) {
			this.tracker.onStateChange(connection, state);
		}
	}

	@Override
	public void onUncaughtException(Connection connection, Throwable error) {
		if (this.rejectedChannels != null && isRejected(connection.channel())) {
			return;
		}
		this.request.onUncaughtException(connection, error);
		if (this.tracker != null) {
			this.tracker.onUncaughtException(connection, error);
		}
	}

	/**
	 * The context of the acquire's subscriber, which is the request's: the pool and the
	 * request's observer see the same.
	 */
	@Override
	public Context currentContext() {
		CoreSubscriber<? super Connection> subscriber = this.actual;
		return (subscriber != null) ? subscriber.currentContext() : this.request.currentContext();
	}

	@Override
	public void onSubscribe(Subscription subscription) {
		boolean first = this.upstream == null;
		this.upstream = subscription;
		if (first) {
			subscriber().onSubscribe(this);
		}
		else if (this.cancelled) {
			subscription.cancel();
		}
		else {
			subscription.request(Long.MAX_VALUE);
		}
	}

	@Override
	public void onNext(Connection connection) {
		if (!this.rejected) {
			subscriber().onNext(connection);
		}
	}

	@Override
	public void onError(Throwable error) {
		subscriber().onError(error);
	}

	@Override
	public void onComplete() {
		if (!this.rejected) {
			subscriber().onComplete();
			return;
		}
		List<Channel> rejectedSoFar = this.rejectedChannels;
		int rejections = (rejectedSoFar != null) ? rejectedSoFar.size() : 0;
		if (rejections >= this.policy.maxRefusalsPerAcquire()) {
			subscriber().onError(new IllegalStateException("Pool handed over " + rejections
					+ " connections idle for longer than their host proved safe in a row"));
			return;
		}
		if (this.cancelled) {
			return;
		}
		this.rejected = false;
		this.pool.apply(this).subscribe(this);
	}

	@Override
	public void request(long n) {
		Subscription subscription = this.upstream;
		if (subscription != null) {
			subscription.request(n);
		}
	}

	@Override
	public void cancel() {
		this.cancelled = true;
		Subscription subscription = this.upstream;
		if (subscription != null) {
			subscription.cancel();
		}
	}

	private void reject(Connection connection, ConnectionEvictionPolicy.Refusal refusal) {
		List<Channel> channels = this.rejectedChannels;
		if (channels == null) {
			channels = new ArrayList<>();
		}
		channels.add(connection.channel());
		this.rejectedChannels = channels;
		this.rejected = true;
		this.policy.setAside(connection, refusal);
	}

	private boolean isRejected(Channel channel) {
		List<Channel> channels = this.rejectedChannels;
		return channels != null && channels.contains(channel);
	}

	private CoreSubscriber<? super Connection> subscriber() {
		CoreSubscriber<? super Connection> subscriber = this.actual;
		if (subscriber == null) {
			throw new IllegalStateException("Gate not subscribed");
		}
		return subscriber;
	}

}
