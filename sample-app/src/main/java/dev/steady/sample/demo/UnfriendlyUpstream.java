package dev.steady.sample.demo;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPromise;
import io.netty.util.AttributeKey;
import io.netty.util.ReferenceCountUtil;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;

import org.springframework.context.SmartLifecycle;

/**
 * A deliberately unfriendly upstream on its own loopback port, started with the sample. It
 * silently forgets keep-alive connections idle for longer than its idle timeout, like a
 * load balancer or nginx's {@code keepalive_timeout} racing a request: a request arriving
 * on such a connection is dropped unanswered and the connection closed. On demand it also
 * drops ({@code /drop}), resets ({@code /reset}) and stalls ({@code /stall?ms=2000}).
 * <p>
 * It counts how often it executed each request ({@code X-Request-Id}) per caller
 * ({@code X-Demo-Client}), so duplicate executions are visible, and the connections each
 * caller opened (counted at their first request).
 */
public class UnfriendlyUpstream implements SmartLifecycle {

	/** Header naming one request. */
	public static final String REQUEST_ID = "X-Request-Id";

	/** Header naming the caller, so executions are counted per client. */
	public static final String CALLER = "X-Demo-Client";

	private final DemoProperties.Upstream settings;

	private static final AttributeKey<Boolean> COUNTED = AttributeKey.valueOf("steady.demo.connectionCounted");

	private static final AttributeKey<Boolean> FORGOTTEN = AttributeKey.valueOf("steady.demo.forgotten");

	private final Map<String, Map<String, AtomicInteger>> executions = new ConcurrentHashMap<>();

	private final Map<String, AtomicInteger> connections = new ConcurrentHashMap<>();

	private volatile DisposableServer server;

	public UnfriendlyUpstream(DemoProperties.Upstream settings) {
		this.settings = settings;
	}

	@Override
	public void start() {
		long idleLimitNanos = this.settings.getIdleTimeout().toNanos();
		this.server = HttpServer.create()
			.host("127.0.0.1")
			.port(this.settings.getPort())
			.doOnChannelInit((observer, channel, remote) -> channel.pipeline()
				.addFirst("steady-demo-forget-idle",
						new ForgetIdleConnections(idleLimitNanos, this.settings.isExecuteBeforeDropping())))
			.route((routes) -> routes.route((request) -> request.uri().startsWith("/work"), this::work)
				.get("/stall", this::stall)
				.get("/drop", (request, response) -> closeWithoutAnswer(request, false))
				.get("/reset", (request, response) -> closeWithoutAnswer(request, true)))
			.bindNow();
	}

	@Override
	public void stop() {
		this.server.disposeNow(Duration.ofSeconds(5));
	}

	@Override
	public boolean isRunning() {
		return this.server != null && !this.server.isDisposed();
	}

	/**
	 * Base URL of the upstream.
	 * @return {@code http://127.0.0.1:<port>}
	 */
	public String url() {
		return "http://127.0.0.1:" + this.server.port();
	}

	/**
	 * Executions per request id of one caller.
	 * @param caller the caller's name
	 * @return how often each request id was executed
	 */
	public Map<String, Integer> executionsOf(String caller) {
		Map<String, Integer> counts = new ConcurrentHashMap<>();
		this.executions.getOrDefault(caller, Map.of()).forEach((id, count) -> counts.put(id, count.get()));
		return counts;
	}

	/**
	 * Connections one caller opened.
	 * @param caller the caller's name
	 * @return how many connections carried a first request of that caller
	 */
	public int connectionsOf(String caller) {
		AtomicInteger count = this.connections.get(caller);
		return (count != null) ? count.get() : 0;
	}

	/**
	 * Forget one caller's executions and connections, before a new run.
	 * @param caller the caller's name
	 */
	public void reset(String caller) {
		this.executions.remove(caller);
		this.connections.remove(caller);
	}

	private Mono<Void> work(HttpServerRequest request, HttpServerResponse response) {
		return request.receive().aggregate().asString().defaultIfEmpty("").then(Mono.defer(() -> {
			String caller = request.requestHeaders().get(CALLER, "unknown");
			String id = request.requestHeaders().get(REQUEST_ID, "none");
			request.withConnection((connection) -> {
				if (connection.channel().attr(COUNTED).setIfAbsent(Boolean.TRUE) == null) {
					this.connections.computeIfAbsent(caller, (name) -> new AtomicInteger()).incrementAndGet();
				}
			});
			this.executions.computeIfAbsent(caller, (name) -> new ConcurrentHashMap<>())
				.computeIfAbsent(id, (key) -> new AtomicInteger())
				.incrementAndGet();
			if (Boolean.TRUE.equals(forgottenFlag(request))) {
				// executed, and the answer lost: a client resending it executes it twice
				return closeWithoutAnswer(request, false);
			}
			return response.sendString(Mono.just("done " + id)).then();
		}));
	}

	private static Boolean forgottenFlag(HttpServerRequest request) {
		Boolean[] flag = new Boolean[1];
		request.withConnection((connection) -> flag[0] = connection.channel().attr(FORGOTTEN).get());
		return flag[0];
	}

	private Mono<Void> stall(HttpServerRequest request, HttpServerResponse response) {
		long millis = Long.parseLong(request.param("ms") != null ? request.param("ms") : "2000");
		return Mono.delay(Duration.ofMillis(Math.min(millis, 60_000)))
			.then(response.sendString(Mono.just("stalled " + millis + " ms")).then());
	}

	private Mono<Void> closeWithoutAnswer(HttpServerRequest request, boolean reset) {
		request.withConnection((connection) -> {
			if (reset) {
				connection.channel().config().setOption(ChannelOption.SO_LINGER, 0);
			}
			connection.channel().close();
		});
		return Mono.never();
	}

	@Override
	public int getPhase() {
		// start before the web server, stop after it
		return SmartLifecycle.DEFAULT_PHASE - 2048;
	}

	/**
	 * Drops a request that arrives on a connection idle for longer than the limit, before
	 * the HTTP codec reads a byte of it.
	 */
	private static final class ForgetIdleConnections extends ChannelDuplexHandler {

		private final long idleLimitNanos;

		private final boolean executeFirst;

		private long lastWrite;

		ForgetIdleConnections(long idleLimitNanos, boolean executeFirst) {
			this.idleLimitNanos = idleLimitNanos;
			this.executeFirst = executeFirst;
		}

		@Override
		public void channelRead(ChannelHandlerContext ctx, Object msg) {
			if (msg instanceof ByteBuf && this.lastWrite != 0 && System.nanoTime() - this.lastWrite > this.idleLimitNanos) {
				if (this.executeFirst) {
					ctx.channel().attr(FORGOTTEN).set(Boolean.TRUE);
					ctx.fireChannelRead(msg);
					return;
				}
				ReferenceCountUtil.release(msg);
				ctx.close();
				return;
			}
			ctx.fireChannelRead(msg);
		}

		@Override
		public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
			this.lastWrite = System.nanoTime();
			ctx.write(msg, promise);
		}

	}

}
