package dev.steady.server.internal;

import java.time.Duration;

import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.HttpUtil;

/**
 * Adds {@code Keep-Alive: timeout=<seconds>} to every HTTP/1.1 response that keeps its
 * connection open, telling clients how long the server waits for the next request, so they
 * can close an idle connection before the server does instead of reusing one that is being
 * closed. Sits between the HTTP codec and Reactor Netty's traffic handler, so it sees each
 * response after Reactor Netty decided whether the connection stays open.
 */
@Sharable
final class KeepAliveHeaderHandler extends ChannelOutboundHandlerAdapter {

	static final String NAME = "steady.keepAliveHeader";

	private final String value;

	KeepAliveHeaderHandler(Duration idleTimeout) {
		this.value = "timeout=" + idleTimeout.toSeconds();
	}

	@Override
	public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) throws Exception {
		if (msg instanceof HttpResponse response && response.status().codeClass() != HttpStatusClass.INFORMATIONAL
				&& HttpUtil.isKeepAlive(response) && !response.headers().contains(HttpHeaderNames.KEEP_ALIVE)) {
			response.headers().set(HttpHeaderNames.KEEP_ALIVE, this.value);
		}
		ctx.write(msg, promise);
	}

}
