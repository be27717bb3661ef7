package dev.steady.sample.bench;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.HttpProtocol;
import reactor.netty.http.server.HttpServer;
import reactor.netty.resources.LoopResources;

/**
 * The fast server the clients are measured against: a bare Reactor Netty {@link HttpServer}
 * on loopback, on event loops of its own, that answers every request with a two-byte body
 * and keeps the connection alive.
 */
final class FastUpstream implements AutoCloseable {

	/** What the upstream answers. */
	static final String BODY = "ok";

	private final LoopResources loops = LoopResources.create("bench-upstream");

	private final DisposableServer server;

	private final AtomicInteger connections = new AtomicInteger();

	FastUpstream() {
		this(HttpProtocol.HTTP11);
	}

	/**
	 * An upstream speaking these protocols, on one port.
	 * @param protocols HTTP/1.1, and h2c (prior knowledge) for the protocol comparison
	 */
	FastUpstream(HttpProtocol... protocols) {
		this.server = HttpServer.create()
			.protocol(protocols)
			.host("127.0.0.1")
			.port(0)
			.runOn(this.loops)
			.doOnChannelInit((observer, channel, remote) -> this.connections.incrementAndGet())
			.handle((request, response) -> response.sendString(Mono.just(BODY)))
			.bindNow();
	}

	/**
	 * URL every request goes to.
	 * @return {@code http://127.0.0.1:<port>/}
	 */
	String url() {
		return "http://127.0.0.1:" + this.server.port() + "/";
	}

	/**
	 * Connections the clients opened so far.
	 * @return the count
	 */
	int connectionsOpened() {
		return this.connections.get();
	}

	@Override
	public void close() {
		this.server.disposeNow(Duration.ofSeconds(5));
		this.loops.disposeLater().block(Duration.ofSeconds(5));
	}

}
