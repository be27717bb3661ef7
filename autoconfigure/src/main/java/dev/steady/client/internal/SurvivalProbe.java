package dev.steady.client.internal;

import java.util.concurrent.TimeUnit;

import io.netty.channel.Channel;

/**
 * A pooled connection kept open and unused after a request that must not be sent twice
 * refused it for being idle longer than its host proved safe: one per host and client, in
 * place of closing it. As it ages it shows how long the host keeps idle connections: seen
 * still open in the kernel after an idle time, it proves that time (a survival); closed by
 * the host, it teaches the host's idle timeout (an idle close). So a caller that sends only
 * requests that must not be sent twice, one at a time, proves the idle times it needs with
 * the connection it would otherwise have closed. The probe is closed when it has been idle
 * for its life time, or by its host; meanwhile it holds one of the pool's connections.
 */
final class SurvivalProbe {

	private SurvivalProbe() {
	}

	/**
	 * Keep a refused connection as its host's probe, unless the host has one.
	 * @param channel the refused connection's channel, idle in the client's view
	 * @param host what the host proved to the client
	 * @param lifeLeftMillis how much longer it is to stay idle before it is closed
	 * @return whether the connection is kept: if not, the caller closes it
	 */
	static boolean keep(Channel channel, ProvenIdle host, long lifeLeftMillis) {
		ConnectionHistory history = ConnectionHistory.of(channel);
		if (history == null || !channel.isActive() || !host.keepProbe(channel)) {
			return false;
		}
		history.keptAsSurvivalProbe();
		channel.closeFuture().addListener((closed) -> host.probeGone(channel));
		channel.eventLoop().schedule(() -> expire(channel, host), Math.max(0, lifeLeftMillis), TimeUnit.MILLISECONDS);
		return true;
	}

	/**
	 * Prove the idle time of the host's probe, if it is still open in the kernel.
	 * @param host what the host proved to the client
	 * @param now current time, epoch milliseconds
	 */
	static void observe(ProvenIdle host, long now) {
		Channel probe = host.probe();
		ConnectionHistory history = (probe != null) ? ConnectionHistory.of(probe) : null;
		if (history != null && KernelTcpState.openBothWays(probe)) {
			host.survived(now - history.lastRead());
		}
	}

	private static void expire(Channel channel, ProvenIdle host) {
		observe(host, System.currentTimeMillis());
		channel.close();
	}

}
