package dev.steady.testserver;

import java.util.LinkedHashMap;
import java.util.Map;

import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.socket.nio.NioChannelOption;
import jdk.net.ExtendedSocketOptions;

/**
 * Reads the TCP keep-alive options a live socket really has, through the option names of
 * its transport (epoll or NIO).
 */
public final class KeepAliveSocketOptions {

	private KeepAliveSocketOptions() {
	}

	/**
	 * Read the keep-alive options of a connected channel.
	 * @param channel the channel
	 * @return {@code keepalive}, {@code idle}, {@code interval}, {@code count} and the
	 * {@code transport} class name
	 */
	public static Map<String, Object> of(Channel channel) {
		Map<String, Object> seen = new LinkedHashMap<>();
		seen.put("keepalive", channel.config().getOption(ChannelOption.SO_KEEPALIVE));
		if (channel instanceof EpollSocketChannel) {
			seen.put("idle", channel.config().getOption(EpollChannelOption.TCP_KEEPIDLE));
			seen.put("interval", channel.config().getOption(EpollChannelOption.TCP_KEEPINTVL));
			seen.put("count", channel.config().getOption(EpollChannelOption.TCP_KEEPCNT));
		}
		else {
			seen.put("idle", channel.config().getOption(NioChannelOption.of(ExtendedSocketOptions.TCP_KEEPIDLE)));
			seen.put("interval",
					channel.config().getOption(NioChannelOption.of(ExtendedSocketOptions.TCP_KEEPINTERVAL)));
			seen.put("count", channel.config().getOption(NioChannelOption.of(ExtendedSocketOptions.TCP_KEEPCOUNT)));
		}
		seen.put("transport", channel.getClass().getSimpleName());
		return seen;
	}

}
